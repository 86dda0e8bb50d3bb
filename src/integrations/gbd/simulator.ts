import express from 'express';
import { checkIinBin } from '../../iin-bin';
import { field } from '../shep/data';
import { ShepBackendSimulator } from '../shep/simulator';

/**
 * The state databases of individuals (GBD FL) and legal entities (GBD UL), reached only through
 * the ShEP simulator (src/integrations/shep/simulator.ts). IIN / BIN are checked for format and
 * control digit first.
 *
 * ShEP services (data types in test/fixtures/shep/reglament-data.xsd):
 *   gbdfl-person   PersonRequest { iin }  -> PersonResponse { status: found|not-found|malformed, iin, name?, birthDate?, message? }
 *   gbdul-company  CompanyRequest { bin } -> CompanyResponse { status, bin, name?, head?, message? }
 * Admin (on the ShEP simulator's address): PUT /admin/persons/{iin} { name, birthDate? },
 *   PUT /admin/companies/{bin} { name, head? }, DELETE the same, GET /admin/persons, GET /admin/companies
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

export function createGbdSimulator(state = new GbdState()): ShepBackendSimulator & { state: GbdState } {
  const admin = express.Router();
  admin.get('/admin/persons', (_req, res) => {
    res.json([...state.persons.values()]);
  });
  admin.get('/admin/companies', (_req, res) => {
    res.json([...state.companies.values()]);
  });
  admin.put('/admin/persons/:iin', (req, res) => {
    res.json(state.addPerson(req.params.iin, String(req.body?.name ?? `Person ${req.params.iin}`), req.body?.birthDate));
  });
  admin.put('/admin/companies/:bin', (req, res) => {
    res.json(state.addCompany(req.params.bin, String(req.body?.name ?? `Company ${req.params.bin}`), req.body?.head));
  });
  admin.delete('/admin/persons/:iin', (req, res) => {
    state.persons.delete(req.params.iin);
    res.status(204).end();
  });
  admin.delete('/admin/companies/:bin', (req, res) => {
    state.companies.delete(req.params.bin);
    res.status(204).end();
  });
  return {
    state,
    admin,
    services: {
      'gbdfl-person': (data) => {
        const iin = field(data, 'iin');
        state.lookups.push({ database: 'gbdfl', number: iin });
        const check = checkIinBin(iin, 'iin');
        if (!check.valid) return { data: { type: 'PersonResponse', values: { status: 'malformed', iin, message: check.message } } };
        const person = state.persons.get(iin);
        if (!person) return { data: { type: 'PersonResponse', values: { status: 'not-found', iin } } };
        return { data: { type: 'PersonResponse', values: { status: 'found', iin, name: person.name, birthDate: person.birthDate } } };
      },
      'gbdul-company': (data) => {
        const bin = field(data, 'bin');
        state.lookups.push({ database: 'gbdul', number: bin });
        const check = checkIinBin(bin, 'bin');
        if (!check.valid) return { data: { type: 'CompanyResponse', values: { status: 'malformed', bin, message: check.message } } };
        const company = state.companies.get(bin);
        if (!company) return { data: { type: 'CompanyResponse', values: { status: 'not-found', bin } } };
        return { data: { type: 'CompanyResponse', values: { status: 'found', bin, name: company.name, head: company.head } } };
      },
    },
  };
}
