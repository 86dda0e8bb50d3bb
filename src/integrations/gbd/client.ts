import { checkIinBin } from '../../iin-bin';
import { ExternalSystemProtocolError, HttpClient } from '../http-client';

export type GbdLookup =
  | { status: 'found'; name: string; record: Record<string, unknown> }
  | { status: 'not-found' }
  | { status: 'malformed'; message: string };

/**
 * GBD FL (individuals) and GBD UL (legal entities) through the e-government gateway (ShEP).
 * A malformed IIN / BIN is refused locally before the call, and the gateway refuses it too.
 */
export class GbdAdapter {
  constructor(readonly http: HttpClient) {}

  lookupPerson(iin: string): Promise<GbdLookup> {
    return this.lookup('iin', `/shep/gbdfl/persons/${encodeURIComponent(iin)}`, iin);
  }

  lookupCompany(bin: string): Promise<GbdLookup> {
    return this.lookup('bin', `/shep/gbdul/companies/${encodeURIComponent(bin)}`, bin);
  }

  private async lookup(kind: 'iin' | 'bin', path: string, value: string): Promise<GbdLookup> {
    const local = checkIinBin(value, kind);
    if (!local.valid) return { status: 'malformed', message: local.message };
    const r = await this.http.get(path);
    if (r.status === 404) return { status: 'not-found' };
    if (r.status === 400) return { status: 'malformed', message: String(r.body?.message ?? 'malformed') };
    if (r.status !== 200) throw new ExternalSystemProtocolError(this.http.system, this.http.url(path), r.status, r.body);
    return { status: 'found', name: String(r.body?.name ?? ''), record: r.body };
  }
}
