import { ExternalSystemProtocolError, HttpClient } from '../http-client';

export interface NotificationInput {
  recipient: string;
  notice: string;
  subject?: string;
  processKey?: string;
  /** A signed result document (base64 CMS) attached to the message. */
  document?: string;
  data?: unknown;
}

/** The recipient's personal cabinet: PUT /api/notifications/{key} (idempotent by key). */
export class CabinetAdapter {
  constructor(readonly http: HttpClient) {}

  /**
   * Sends once per key. A repeat (200) answers with the notification the cabinet already holds,
   * including the document it was sent with, which may differ from this call's.
   */
  async notify(key: string, input: NotificationInput): Promise<{ notificationId: string; created: boolean; document?: string }> {
    const path = `/api/notifications/${encodeURIComponent(key)}`;
    const r = await this.http.put(path, input);
    if (r.status !== 200 && r.status !== 201) throw new ExternalSystemProtocolError(this.http.system, this.http.url(path), r.status, r.body);
    return { notificationId: String(r.body.notificationId), created: r.status === 201, document: typeof r.body.document === 'string' ? r.body.document : undefined };
  }

  async list(iinBin: string): Promise<Array<NotificationInput & { notificationId: string }>> {
    const path = `/api/cabinets/${encodeURIComponent(iinBin)}/notifications`;
    const r = await this.http.get(path);
    if (r.status !== 200) throw new ExternalSystemProtocolError(this.http.system, this.http.url(path), r.status, r.body);
    return r.body;
  }
}
