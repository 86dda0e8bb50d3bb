import { randomUUID } from 'node:crypto';
import express from 'express';
import { field, optionalField } from '../shep/data';
import { ShepBackendSimulator } from '../shep/simulator';

/**
 * The e-government payment gateway (PShEP): payments of a payer (IIN / BIN) for a service,
 * reached only through the ShEP simulator.
 *
 * ShEP service payment-status: PaymentStatusRequest { payer, serviceKey? }
 *   -> PaymentStatusResponse { payer, serviceKey?, paid, payment*: { reference, serviceKey, amount, paidAt } }
 *   (without serviceKey: every payment of the payer)
 * Admin (on the ShEP simulator's address): POST /admin/payments { payer, serviceKey, amount? } -> 201 { reference, ... }
 *   DELETE /admin/payments?payer=..  GET /admin/payments
 */
export interface Payment {
  reference: string;
  payer: string;
  serviceKey: string;
  amount: number;
  paidAt: string;
}

export class PaymentGatewayState {
  readonly payments: Payment[] = [];
  markPaid(payer: string, serviceKey: string, amount = 0): Payment {
    const payment = { reference: `PAY-${randomUUID().slice(0, 8).toUpperCase()}`, payer, serviceKey, amount, paidAt: new Date().toISOString() };
    this.payments.push(payment);
    return payment;
  }
  find(payer: string, service?: string): Payment[] {
    return this.payments.filter((p) => p.payer === payer && (service === undefined || p.serviceKey === service));
  }
}

export function createPaymentGatewaySimulator(state = new PaymentGatewayState()): ShepBackendSimulator & { state: PaymentGatewayState } {
  const admin = express.Router();
  admin.get('/admin/payments', (_req, res) => {
    res.json(state.payments);
  });
  admin.post('/admin/payments', (req, res) => {
    const { payer, serviceKey, amount } = req.body ?? {};
    if (typeof payer !== 'string' || typeof serviceKey !== 'string') {
      res.status(400).json({ error: 'payer and serviceKey are required' });
      return;
    }
    res.status(201).json(state.markPaid(payer, serviceKey, Number(amount ?? 0)));
  });
  admin.delete('/admin/payments', (req, res) => {
    const payer = String(req.query.payer ?? '');
    for (let i = state.payments.length - 1; i >= 0; i--) if (!payer || state.payments[i].payer === payer) state.payments.splice(i, 1);
    res.status(204).end();
  });
  return {
    state,
    admin,
    services: {
      'payment-status': (data) => {
        const payer = field(data, 'payer');
        const service = optionalField(data, 'serviceKey') || undefined;
        if (!payer) return { code: 'SCE909', message: 'payer is required' };
        const payments = state.find(payer, service);
        return {
          data: {
            type: 'PaymentStatusResponse',
            values: {
              payer,
              serviceKey: service,
              paid: String(payments.length > 0),
              payment: payments.map((p) => ({ reference: p.reference, serviceKey: p.serviceKey, amount: String(p.amount), paidAt: p.paidAt })),
            },
          },
        };
      },
    },
  };
}
