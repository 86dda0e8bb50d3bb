import { ExternalSystemProtocolError, HttpClient } from '../http-client';

export interface PortalUser {
  registered: boolean;
  blocked: boolean;
  name?: string;
}

/** e-gov portal: is the IIN / BIN a registered (and not blocked) portal user? GET /api/users/{iinBin}. */
export class EgovPortalAdapter {
  constructor(readonly http: HttpClient) {}

  async getUser(iinBin: string): Promise<PortalUser> {
    const r = await this.http.get(`/api/users/${encodeURIComponent(iinBin)}`);
    if (r.status === 404) return { registered: false, blocked: false };
    if (r.status !== 200) throw new ExternalSystemProtocolError(this.http.system, this.http.url(`/api/users/${iinBin}`), r.status, r.body);
    return { registered: r.body?.registered !== false, blocked: !!r.body?.blocked, name: r.body?.name };
  }
}
