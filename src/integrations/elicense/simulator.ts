import { counter, finishApp, simulatorApp } from '../simulator-server';

/**
 * The "E-licensing" state database IS (www.elicense.kz): employees who may log in, requests
 * registered idempotently by the caller's request id, decisions, licence numbers.
 *
 * Protocol:
 *   GET /api/employees/{userId}                 -> 200 { userId, authorized: true } | 404 { authorized: false }
 *   PUT /api/requests/{requestId} { applicantIinBin, applicantName, serviceKey }
 *                                               -> 201 (new) | 200 (same id again) { requestId, requestNumber, created }
 *   GET /api/requests/{requestNumber}           -> 200 request | 404
 *   PUT /api/requests/{requestNumber}/decision { decision: issued|refused, resultKind }
 *                                               -> 200 request
 *   PUT /api/requests/{requestNumber}/licence   -> 200 { licenceNumber } (same number on every call; 409 unless issued)
 * Admin: PUT/DELETE /admin/employees/{userId}, GET /admin/employees, GET /admin/requests
 */
export interface ElicenseRequest {
  requestId: string;
  requestNumber: string;
  applicantIinBin: string;
  applicantName: string;
  serviceKey: string;
  registeredAt: string;
  decision?: string;
  resultKind?: string;
  licenceNumber?: string;
  /** How many times the register call came for this request id (idempotency is visible here). */
  registrationCalls: number;
}

export class ElicenseState {
  readonly employees = new Set<string>();
  readonly requests = new Map<string, ElicenseRequest>();
  private readonly nextRequest = counter('KZ-REQ');
  private readonly nextLicence = counter('KZ-LIC');

  addEmployee(...ids: string[]) {
    ids.forEach((id) => this.employees.add(id));
  }
  register(requestId: string, data: { applicantIinBin: string; applicantName: string; serviceKey: string }): { request: ElicenseRequest; created: boolean } {
    const existing = this.requests.get(requestId);
    if (existing) {
      existing.registrationCalls++;
      return { request: existing, created: false };
    }
    const request: ElicenseRequest = { requestId, requestNumber: this.nextRequest(), ...data, registeredAt: new Date().toISOString(), registrationCalls: 1 };
    this.requests.set(requestId, request);
    return { request, created: true };
  }
  byNumber(requestNumber: string): ElicenseRequest | undefined {
    return [...this.requests.values()].find((r) => r.requestNumber === requestNumber);
  }
  issueLicence(request: ElicenseRequest): string {
    if (!request.licenceNumber) request.licenceNumber = this.nextLicence();
    return request.licenceNumber;
  }
}

export function createElicenseSimulator(state = new ElicenseState()) {
  const app = simulatorApp('elicense');
  app.get('/api/employees/:userId', (req, res) => {
    const known = state.employees.has(req.params.userId);
    res.status(known ? 200 : 404).json({ userId: req.params.userId, authorized: known });
  });
  app.put('/api/requests/:requestId', (req, res) => {
    const { applicantIinBin, applicantName, serviceKey } = req.body ?? {};
    if (typeof applicantIinBin !== 'string' || !/^\d{12}$/.test(applicantIinBin)) {
      res.status(400).json({ error: 'applicantIinBin must be 12 digits' });
      return;
    }
    const { request, created } = state.register(req.params.requestId, { applicantIinBin, applicantName: String(applicantName ?? ''), serviceKey: String(serviceKey ?? '') });
    res.status(created ? 201 : 200).json({ ...request, created });
  });
  app.get('/api/requests/:requestNumber', (req, res) => {
    const request = state.byNumber(req.params.requestNumber);
    if (!request) res.status(404).json({ error: 'unknown request number' });
    else res.json(request);
  });
  app.put('/api/requests/:requestNumber/decision', (req, res) => {
    const request = state.byNumber(req.params.requestNumber);
    const { decision, resultKind } = req.body ?? {};
    if (!request) {
      res.status(404).json({ error: 'unknown request number' });
      return;
    }
    if (decision !== 'issued' && decision !== 'refused') {
      res.status(400).json({ error: 'decision must be issued or refused' });
      return;
    }
    request.decision = decision;
    request.resultKind = typeof resultKind === 'string' ? resultKind : undefined;
    res.json(request);
  });
  app.put('/api/requests/:requestNumber/licence', (req, res) => {
    const request = state.byNumber(req.params.requestNumber);
    if (!request) {
      res.status(404).json({ error: 'unknown request number' });
      return;
    }
    if (request.decision !== 'issued') {
      res.status(409).json({ error: 'no positive decision is recorded for this request' });
      return;
    }
    res.json({ requestNumber: request.requestNumber, licenceNumber: state.issueLicence(request) });
  });
  app.get('/admin/employees', (_req, res) => {
    res.json([...state.employees].sort());
  });
  app.put('/admin/employees/:userId', (req, res) => {
    state.addEmployee(req.params.userId);
    res.json({ userId: req.params.userId });
  });
  app.delete('/admin/employees/:userId', (req, res) => {
    state.employees.delete(req.params.userId);
    res.status(204).end();
  });
  app.get('/admin/requests', (_req, res) => {
    res.json([...state.requests.values()]);
  });
  return { app: finishApp(app), state };
}
