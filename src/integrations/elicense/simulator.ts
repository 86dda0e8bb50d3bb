import express from 'express';
import { field, optionalField } from '../shep/data';
import { ShepBackendSimulator } from '../shep/simulator';
import { counter } from '../simulator-server';

/**
 * The "E-licensing" state database IS (www.elicense.kz): employees who may log in, requests
 * registered idempotently by the caller's request id, decisions, licence numbers. Reached only
 * through the ShEP simulator; a refusal is the status SCE909 with E-licensing's reason.
 *
 * ShEP services (data types in test/fixtures/shep/reglament-data.xsd):
 *   elicense-employee  EmployeeRequest { userId } -> EmployeeResponse { userId, authorized }
 *   elicense-register  RegisterRequest { requestId, applicantIinBin, applicantName, serviceKey }
 *                      -> RegisterResponse { requestId, requestNumber, created } (the same number for the same id)
 *   elicense-request   GetRequestRequest { requestNumber } -> GetRequestResponse { found, request fields? }
 *   elicense-decision  DecisionRequest { requestNumber, decision: issued|refused, resultKind? } -> DecisionResponse
 *   elicense-licence   LicenceRequest { requestNumber } -> LicenceResponse { requestNumber, licenceNumber }
 *                      (the same number on every call; SCE909 unless issued)
 * Admin (on the ShEP simulator's address): PUT/DELETE /admin/employees/{userId}, GET /admin/employees, GET /admin/requests
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

export function createElicenseSimulator(state = new ElicenseState()): ShepBackendSimulator & { state: ElicenseState } {
  const admin = express.Router();
  admin.get('/admin/employees', (_req, res) => {
    res.json([...state.employees].sort());
  });
  admin.put('/admin/employees/:userId', (req, res) => {
    state.addEmployee(req.params.userId);
    res.json({ userId: req.params.userId });
  });
  admin.delete('/admin/employees/:userId', (req, res) => {
    state.employees.delete(req.params.userId);
    res.status(204).end();
  });
  admin.get('/admin/requests', (_req, res) => {
    res.json([...state.requests.values()]);
  });
  const refused = (message: string) => ({ code: 'SCE909', message: `E-licensing: ${message}` });
  return {
    state,
    admin,
    services: {
      'elicense-employee': (data) => {
        const userId = field(data, 'userId');
        return { data: { type: 'EmployeeResponse', values: { userId, authorized: String(state.employees.has(userId)) } } };
      },
      'elicense-register': (data) => {
        const applicantIinBin = field(data, 'applicantIinBin');
        if (!/^\d{12}$/.test(applicantIinBin)) return refused('applicantIinBin must be 12 digits');
        const { request, created } = state.register(field(data, 'requestId'), { applicantIinBin, applicantName: optionalField(data, 'applicantName') ?? '', serviceKey: optionalField(data, 'serviceKey') ?? '' });
        return { data: { type: 'RegisterResponse', values: { requestId: request.requestId, requestNumber: request.requestNumber, created: String(created) } } };
      },
      'elicense-request': (data) => {
        const request = state.byNumber(field(data, 'requestNumber'));
        if (!request) return { data: { type: 'GetRequestResponse', values: { found: 'false' } } };
        const { requestId, requestNumber, applicantIinBin, applicantName, serviceKey, registeredAt, decision, resultKind, licenceNumber } = request;
        return { data: { type: 'GetRequestResponse', values: { found: 'true', requestId, requestNumber, applicantIinBin, applicantName, serviceKey, registeredAt, decision, resultKind, licenceNumber } } };
      },
      'elicense-decision': (data) => {
        const request = state.byNumber(field(data, 'requestNumber'));
        if (!request) return refused('unknown request number');
        const decision = field(data, 'decision');
        if (decision !== 'issued' && decision !== 'refused') return refused('decision must be issued or refused');
        request.decision = decision;
        request.resultKind = optionalField(data, 'resultKind');
        return { data: { type: 'DecisionResponse', values: { requestNumber: request.requestNumber, decision, resultKind: request.resultKind } } };
      },
      'elicense-licence': (data) => {
        const request = state.byNumber(field(data, 'requestNumber'));
        if (!request) return refused('unknown request number');
        if (request.decision !== 'issued') return refused('no positive decision is recorded for this request');
        return { data: { type: 'LicenceResponse', values: { requestNumber: request.requestNumber, licenceNumber: state.issueLicence(request) } } };
      },
    },
  };
}
