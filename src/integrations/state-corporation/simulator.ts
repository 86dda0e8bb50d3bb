import { counter, finishApp, simulatorApp } from '../simulator-server';

/**
 * The IS of NJSC State corporation "Government for citizens": registers an application taken
 * at a service centre and gives the receipt number; idempotent by the caller's request id.
 *
 * Protocol: PUT /api/applications/{requestId} { applicantIinBin, applicantName, serviceKey }
 *           -> 201 | 200 { requestId, receiptNumber, created }
 * Admin:    GET /admin/applications
 */
export interface ScApplication {
  requestId: string;
  receiptNumber: string;
  applicantIinBin: string;
  applicantName: string;
  serviceKey: string;
  registeredAt: string;
  calls: number;
}

export class StateCorporationState {
  readonly applications = new Map<string, ScApplication>();
  private readonly next = counter('SC-RCPT');
  register(requestId: string, data: { applicantIinBin: string; applicantName: string; serviceKey: string }) {
    const existing = this.applications.get(requestId);
    if (existing) {
      existing.calls++;
      return { application: existing, created: false };
    }
    const application = { requestId, receiptNumber: this.next(), ...data, registeredAt: new Date().toISOString(), calls: 1 };
    this.applications.set(requestId, application);
    return { application, created: true };
  }
}

export function createStateCorporationSimulator(state = new StateCorporationState()) {
  const app = simulatorApp('state-corporation');
  app.put('/api/applications/:requestId', (req, res) => {
    const { applicantIinBin, applicantName, serviceKey } = req.body ?? {};
    const { application, created } = state.register(req.params.requestId, { applicantIinBin: String(applicantIinBin ?? ''), applicantName: String(applicantName ?? ''), serviceKey: String(serviceKey ?? '') });
    res.status(created ? 201 : 200).json({ ...application, created });
  });
  app.get('/admin/applications', (_req, res) => {
    res.json([...state.applications.values()]);
  });
  return { app: finishApp(app), state };
}
