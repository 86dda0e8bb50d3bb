import { checkIinBin } from '../../iin-bin';
import { field, optionalField } from '../shep/data';
import { ShepClient } from '../shep/client';

export type GbdLookup =
  | { status: 'found'; name: string; record: Record<string, unknown> }
  | { status: 'not-found' }
  | { status: 'malformed'; message: string };

/**
 * GBD FL (individuals) and GBD UL (legal entities) through the e-government gateway (ShEP), each
 * a ShEP service (data types PersonRequest/PersonResponse, CompanyRequest/CompanyResponse; see
 * docs/external-systems.md). A malformed IIN / BIN is refused locally before the call, and the
 * database refuses it too.
 */
export class GbdAdapter {
  constructor(readonly shep: ShepClient) {}

  async lookupPerson(iin: string): Promise<GbdLookup> {
    const local = checkIinBin(iin, 'iin');
    if (!local.valid) return { status: 'malformed', message: local.message };
    const answer = await this.shep.send('gbdfl-person', { type: 'PersonRequest', values: { iin } }, 'PersonResponse');
    return lookupOf(answer, { iin: field(answer, 'iin'), birthDate: optionalField(answer, 'birthDate') });
  }

  async lookupCompany(bin: string): Promise<GbdLookup> {
    const local = checkIinBin(bin, 'bin');
    if (!local.valid) return { status: 'malformed', message: local.message };
    const answer = await this.shep.send('gbdul-company', { type: 'CompanyRequest', values: { bin } }, 'CompanyResponse');
    return lookupOf(answer, { bin: field(answer, 'bin'), head: optionalField(answer, 'head') });
  }
}

function lookupOf(answer: Parameters<typeof field>[0], record: Record<string, string | undefined>): GbdLookup {
  const status = field(answer, 'status');
  if (status === 'not-found') return { status: 'not-found' };
  if (status === 'malformed') return { status: 'malformed', message: optionalField(answer, 'message') ?? 'malformed' };
  const name = optionalField(answer, 'name') ?? '';
  return { status: 'found', name, record: { ...Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)), name, found: true } };
}
