import { field, optionalField, ShepData } from '../shep/data';
import { ShepClient } from '../shep/client';

/**
 * "E-licensing" state database IS through ShEP, one ShEP service per operation. Every write is
 * keyed by the request (the caller's request id, or the request number), so it is sent again safely.
 */
export class ElicenseAdapter {
  constructor(readonly shep: ShepClient) {}

  async isEmployee(userId: string): Promise<boolean> {
    const answer = await this.shep.send('elicense-employee', { type: 'EmployeeRequest', values: { userId } }, 'EmployeeResponse');
    return field(answer, 'authorized') === 'true';
  }

  /** Registers the request under the caller's id; the same id gives the same request number. */
  async registerRequest(requestId: string, data: { applicantIinBin: string; applicantName: string; serviceKey: string }): Promise<{ requestNumber: string; created: boolean }> {
    const answer = await this.shep.send('elicense-register', { type: 'RegisterRequest', values: { requestId, ...data } }, 'RegisterResponse');
    return { requestNumber: field(answer, 'requestNumber'), created: field(answer, 'created') === 'true' };
  }

  async getRequest(requestNumber: string): Promise<Record<string, unknown> | undefined> {
    const answer = await this.shep.send('elicense-request', { type: 'GetRequestRequest', values: { requestNumber } }, 'GetRequestResponse');
    if (field(answer, 'found') !== 'true') return undefined;
    return requestOf(answer);
  }

  async recordDecision(requestNumber: string, decision: 'issued' | 'refused', resultKind?: string): Promise<void> {
    await this.shep.send('elicense-decision', { type: 'DecisionRequest', values: { requestNumber, decision, resultKind } }, 'DecisionResponse');
  }

  /** The licence number of an issued request (the same number on every call). */
  async issueLicence(requestNumber: string): Promise<string> {
    const answer = await this.shep.send('elicense-licence', { type: 'LicenceRequest', values: { requestNumber } }, 'LicenceResponse');
    return field(answer, 'licenceNumber');
  }
}

function requestOf(answer: ShepData): Record<string, unknown> {
  const names = ['requestId', 'requestNumber', 'applicantIinBin', 'applicantName', 'serviceKey', 'registeredAt', 'decision', 'resultKind', 'licenceNumber'];
  return Object.fromEntries(names.map((n) => [n, optionalField(answer, n)]).filter(([, v]) => v !== undefined));
}
