import { checkIinBin } from '../../iin-bin';
import { finishApp, simulatorApp } from '../simulator-server';

/**
 * The state databases of individuals (GBD FL) and legal entities (GBD UL) behind the
 * e-government gateway (ShEP). IIN / BIN are checked for format and control digit first.
 *
 * Protocol:
 *   GET /shep/gbdfl/persons/{iin}     -> 200 { iin, name, birthDate? } | 404 { found: false } | 400 { error: 'malformed', problem, message }
 *   GET /shep/gbdul/companies/{bin}   -> 200 { bin, name, head? }      | 404 | 400
 * Admin: PUT /admin/persons/{iin} { name, birthDate? }, PUT /admin/companies/{bin} { name, head? },
 *        DELETE the same, GET /admin/persons, GET /admin/companies
 */
export class GbdState {
  readonly persons = new Map<string, { iin: string; name: string; birthDate?: string }>();
  readonly companies = new Map<string, { bin: string; name: string; head?: string }>();
  /** Every lookup asked of the state databases, in order (a test shows that a mistyped number never reached them). */
  readonly lookups: { database: 'gbdfl' | 'gbdul'; number: string }[] = [];
  addPerson(iin: string, name: string, birthDate?: string) {
    const p = { iin, name, ...(birthDate ? { birthDate } : {}) };
    this.persons.set(iin, p);
    return p;
  }
  addCompany(bin: string, name: string, head?: string) {
    const c = { bin, name, ...(head ? { head } : {}) };
    this.companies.set(bin, c);
    return c;
  }
}

export function createGbdSimulator(state = new GbdState()) {
  const app = simulatorApp('gbd');
  app.get('/shep/gbdfl/persons/:iin', (req, res) => {
    state.lookups.push({ database: 'gbdfl', number: req.params.iin });
    const check = checkIinBin(req.params.iin, 'iin');
    if (!check.valid) {
      res.status(400).json({ error: 'malformed', problem: check.problem, message: check.message });
      return;
    }
    const person = state.persons.get(req.params.iin);
    if (!person) res.status(404).json({ iin: req.params.iin, found: false });
    else res.json({ ...person, found: true });
  });
  app.get('/shep/gbdul/companies/:bin', (req, res) => {
    state.lookups.push({ database: 'gbdul', number: req.params.bin });
    const check = checkIinBin(req.params.bin, 'bin');
    if (!check.valid) {
      res.status(400).json({ error: 'malformed', problem: check.problem, message: check.message });
      return;
    }
    const company = state.companies.get(req.params.bin);
    if (!company) res.status(404).json({ bin: req.params.bin, found: false });
    else res.json({ ...company, found: true });
  });
  app.get('/admin/persons', (_req, res) => {
    res.json([...state.persons.values()]);
  });
  app.get('/admin/companies', (_req, res) => {
    res.json([...state.companies.values()]);
  });
  app.put('/admin/persons/:iin', (req, res) => {
    res.json(state.addPerson(req.params.iin, String(req.body?.name ?? `Person ${req.params.iin}`), req.body?.birthDate));
  });
  app.put('/admin/companies/:bin', (req, res) => {
    res.json(state.addCompany(req.params.bin, String(req.body?.name ?? `Company ${req.params.bin}`), req.body?.head));
  });
  app.delete('/admin/persons/:iin', (req, res) => {
    state.persons.delete(req.params.iin);
    res.status(204).end();
  });
  app.delete('/admin/companies/:bin', (req, res) => {
    state.companies.delete(req.params.bin);
    res.status(204).end();
  });
  return { app: finishApp(app), state };
}
