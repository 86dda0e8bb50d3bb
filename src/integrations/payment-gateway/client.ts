import { ExternalSystemProtocolError, HttpClient } from '../http-client';

export interface PaymentStatus {
  paid: boolean;
  reference?: string;
  payments: { reference: string; serviceKey: string; amount: number; paidAt: string }[];
}

/** e-government payment gateway (PShEP): GET /api/payments?payer=&service=. */
export class PaymentGatewayAdapter {
  constructor(readonly http: HttpClient) {}

  async status(payer: string, serviceKey?: string): Promise<PaymentStatus> {
    const r = await this.http.get('/api/payments', { query: { payer, service: serviceKey } });
    if (r.status !== 200) throw new ExternalSystemProtocolError(this.http.system, this.http.url('/api/payments'), r.status, r.body);
    const payments = Array.isArray(r.body?.payments) ? r.body.payments : [];
    return { paid: !!r.body?.paid, reference: payments[0]?.reference, payments };
  }
}
