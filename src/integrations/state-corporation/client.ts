import { ExternalSystemProtocolError, HttpClient } from '../http-client';

/** IS of the State corporation: PUT /api/applications/{requestId} -> receipt number (idempotent). */
export class StateCorporationAdapter {
  constructor(readonly http: HttpClient) {}

  async register(requestId: string, data: { applicantIinBin: string; applicantName: string; serviceKey: string }): Promise<string> {
    const path = `/api/applications/${encodeURIComponent(requestId)}`;
    const r = await this.http.put(path, data);
    if (r.status !== 200 && r.status !== 201) throw new ExternalSystemProtocolError(this.http.system, this.http.url(path), r.status, r.body);
    return String(r.body.receiptNumber);
  }
}
