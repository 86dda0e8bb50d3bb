import { counter, finishApp, simulatorApp } from '../simulator-server';
import type { NotificationInput } from './client';

/**
 * The recipient's personal cabinet on the portal: notifications per IIN / BIN, idempotent by
 * the sender's key (one notification per instance and service task).
 *
 * Protocol: PUT /api/notifications/{key} { recipient, notice, subject?, processKey?, document? }
 *           -> 201 | 200 { notificationId, created }
 *           GET /api/cabinets/{iinBin}/notifications -> [notification]
 * Admin:    GET /admin/notifications
 */
/** A message as the cabinet keeps it: what the client sent, under its idempotency key. */
export interface CabinetNotification extends NotificationInput {
  key: string;
  notificationId: string;
  sentAt: string;
}

export class CabinetState {
  readonly notifications = new Map<string, CabinetNotification>();
  private readonly next = counter('NTF');
  notify(key: string, data: Omit<CabinetNotification, 'key' | 'notificationId' | 'sentAt'>) {
    const existing = this.notifications.get(key);
    if (existing) return { notification: existing, created: false };
    const notification = { key, notificationId: this.next(), ...data, sentAt: new Date().toISOString() };
    this.notifications.set(key, notification);
    return { notification, created: true };
  }
  of(recipient: string): CabinetNotification[] {
    return [...this.notifications.values()].filter((n) => n.recipient === recipient);
  }
}

export function createCabinetSimulator(state = new CabinetState()) {
  const app = simulatorApp('cabinet');
  app.put('/api/notifications/:key', (req, res) => {
    const { recipient, notice, subject, processKey, document, data } = req.body ?? {};
    if (typeof recipient !== 'string' || typeof notice !== 'string') {
      res.status(400).json({ error: 'recipient and notice are required' });
      return;
    }
    const { notification, created } = state.notify(req.params.key, { recipient, notice, subject, processKey, document, data });
    res.status(created ? 201 : 200).json({ ...notification, created });
  });
  app.get('/api/cabinets/:iinBin/notifications', (req, res) => {
    res.json(state.of(req.params.iinBin));
  });
  app.get('/admin/notifications', (_req, res) => {
    res.json([...state.notifications.values()]);
  });
  return { app: finishApp(app), state };
}
