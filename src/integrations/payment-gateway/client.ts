import { field, optionalField, records } from '../shep/data';
import { ShepClient } from '../shep/client';

export interface PaymentStatus {
  paid: boolean;
  reference?: string;
  payments: { reference: string; serviceKey: string; amount: number; paidAt: string }[];
}

/** e-government payment gateway (PShEP) through ShEP: PaymentStatusRequest { payer, serviceKey? }. */
export class PaymentGatewayAdapter {
  constructor(readonly shep: ShepClient) {}

  async status(payer: string, serviceKey?: string): Promise<PaymentStatus> {
    const answer = await this.shep.send('payment-status', { type: 'PaymentStatusRequest', values: { payer, serviceKey } }, 'PaymentStatusResponse');
    const payments = records(answer, 'payment').map((p) => ({
      reference: field({ type: 'Payment', values: p }, 'reference'),
      serviceKey: field({ type: 'Payment', values: p }, 'serviceKey'),
      amount: Number(field({ type: 'Payment', values: p }, 'amount')),
      paidAt: field({ type: 'Payment', values: p }, 'paidAt'),
    }));
    return { paid: optionalField(answer, 'paid') === 'true', reference: payments[0]?.reference, payments };
  }
}
