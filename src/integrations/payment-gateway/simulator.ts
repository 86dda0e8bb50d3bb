import { randomUUID } from 'node:crypto';
import { finishApp, simulatorApp } from '../simulator-server';

/**
 * The e-government payment gateway (PShEP): payments of a payer (IIN / BIN) for a service.
 *
 * Protocol: GET /api/payments?payer={iinBin}&service={serviceKey}
 *           -> 200 { payer, service, paid, payments: [{ reference, payer, serviceKey, amount, paidAt }] }
 *           (without `service`: every payment of the payer)
 * Admin:    POST /admin/payments { payer, serviceKey, amount? } -> 201 { reference, ... }
 *           DELETE /admin/payments?payer=..  GET /admin/payments
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

export function createPaymentGatewaySimulator(state = new PaymentGatewayState()) {
  const app = simulatorApp('payment-gateway');
  app.get('/api/payments', (req, res) => {
    const payer = typeof req.query.payer === 'string' ? req.query.payer : '';
    const service = typeof req.query.service === 'string' && req.query.service ? req.query.service : undefined;
    if (!payer) {
      res.status(400).json({ error: 'payer is required' });
      return;
    }
    const payments = state.find(payer, service);
    res.json({ payer, service: service ?? null, paid: payments.length > 0, payments });
  });
  app.get('/admin/payments', (_req, res) => {
    res.json(state.payments);
  });
  app.post('/admin/payments', (req, res) => {
    const { payer, serviceKey, amount } = req.body ?? {};
    if (typeof payer !== 'string' || typeof serviceKey !== 'string') {
      res.status(400).json({ error: 'payer and serviceKey are required' });
      return;
    }
    res.status(201).json(state.markPaid(payer, serviceKey, Number(amount ?? 0)));
  });
  app.delete('/admin/payments', (req, res) => {
    const payer = String(req.query.payer ?? '');
    for (let i = state.payments.length - 1; i >= 0; i--) if (!payer || state.payments[i].payer === payer) state.payments.splice(i, 1);
    res.status(204).end();
  });
  return { app: finishApp(app), state };
}
