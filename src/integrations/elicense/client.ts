import { ExternalSystemProtocolError, HttpClient } from '../http-client';

/** "E-licensing" state database IS. Every write is a PUT keyed by the request, so it is retried safely. */
export class ElicenseAdapter {
  constructor(readonly http: HttpClient) {}

  private protocolError(path: string, r: { status: number; body: unknown }): never {
    throw new ExternalSystemProtocolError(this.http.system, this.http.url(path), r.status, r.body);
  }

  async isEmployee(userId: string): Promise<boolean> {
    const path = `/api/employees/${encodeURIComponent(userId)}`;
    const r = await this.http.get(path);
    if (r.status === 404) return false;
    if (r.status !== 200) this.protocolError(path, r);
    return r.body?.authorized !== false;
  }

  /** Registers the request under the caller's id; the same id gives the same request number. */
  async registerRequest(requestId: string, data: { applicantIinBin: string; applicantName: string; serviceKey: string }): Promise<{ requestNumber: string; created: boolean }> {
    const path = `/api/requests/${encodeURIComponent(requestId)}`;
    const r = await this.http.put(path, data);
    if (r.status !== 200 && r.status !== 201) this.protocolError(path, r);
    return { requestNumber: String(r.body.requestNumber), created: !!r.body.created };
  }

  async getRequest(requestNumber: string): Promise<Record<string, unknown> | undefined> {
    const path = `/api/requests/${encodeURIComponent(requestNumber)}`;
    const r = await this.http.get(path);
    if (r.status === 404) return undefined;
    if (r.status !== 200) this.protocolError(path, r);
    return r.body;
  }

  async recordDecision(requestNumber: string, decision: 'issued' | 'refused', resultKind?: string): Promise<void> {
    const path = `/api/requests/${encodeURIComponent(requestNumber)}/decision`;
    const r = await this.http.put(path, { decision, resultKind });
    if (r.status !== 200) this.protocolError(path, r);
  }

  /** The licence number of an issued request (the same number on every call). */
  async issueLicence(requestNumber: string): Promise<string> {
    const path = `/api/requests/${encodeURIComponent(requestNumber)}/licence`;
    const r = await this.http.put(path, {});
    if (r.status !== 200) this.protocolError(path, r);
    return String(r.body.licenceNumber);
  }
}
