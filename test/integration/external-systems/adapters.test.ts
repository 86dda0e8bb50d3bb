import http from 'node:http';
import { AddressInfo } from 'node:net';
import { Adapters } from '../../../src/integrations/clients';
import { ExternalSystemUnavailableError, HttpClient } from '../../../src/integrations/http-client';
import { makeBin, makeIin } from '../../../src/iin-bin';
import { createDefaultHandlers } from '../../../src/handlers';
import { HandlerContext } from '../../../src/handlers/registry';
import { startSimulators, Simulators } from '../../../src/integrations/simulators';
import { simulatorAdapters } from '../../support/simulators';

const IIN = makeIin(new Date(Date.UTC(1988, 3, 9)), 'male', 31);
const BIN = makeBin(new Date(Date.UTC(2011, 6, 1)), 77);

/** A throwaway HTTP server answering with `handler`; counts requests. */
async function fakeServer(handler: (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void) {
  let n = 0;
  const server = http.createServer((req, res) => handler(req, res, ++n));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    count: () => n,
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}

describe('adapters against their simulators (real HTTP)', () => {
  let sims: Simulators;
  let a: Adapters;
  beforeAll(async () => {
    sims = await startSimulators({ employees: ['olga-office'] });
    a = simulatorAdapters(sims, { attempts: 2, backoffMs: 10, timeoutMs: 1000 });
  });
  afterAll(() => sims.close());

  it('e-gov portal: registered, blocked, unknown', async () => {
    sims.portal.addUser(IIN, 'Ерлан');
    sims.portal.addUser(BIN, 'ТОО', true);
    expect(await a.portal.getUser(IIN)).toEqual({ registered: true, blocked: false, name: 'Ерлан' });
    expect(await a.portal.getUser(BIN)).toMatchObject({ registered: true, blocked: true });
    expect(await a.portal.getUser(makeIin(new Date(Date.UTC(1970, 0, 1)), 'male', 1))).toEqual({ registered: false, blocked: false });
  });

  it('payment gateway: missing, then paid for the service (another service does not count)', async () => {
    expect(await a.payments.status(IIN, 'weapon-registration')).toMatchObject({ paid: false });
    const p = sims.payments.markPaid(IIN, 'weapon-registration', 3692);
    expect(await a.payments.status(IIN, 'weapon-registration')).toMatchObject({ paid: true, reference: p.reference });
    expect(await a.payments.status(IIN, 'pyrotechnics-activity-license')).toMatchObject({ paid: false });
  });

  it('E-licensing: employee login, registration twice with the same request id gives one registration, decision, licence number', async () => {
    expect(await a.elicense.isEmployee('olga-office')).toBe(true);
    expect(await a.elicense.isEmployee('stranger')).toBe(false);
    const first = await a.elicense.registerRequest('instance-1', { applicantIinBin: BIN, applicantName: 'ТОО', serviceKey: 'weapon-activity-license' });
    const again = await a.elicense.registerRequest('instance-1', { applicantIinBin: BIN, applicantName: 'ТОО', serviceKey: 'weapon-activity-license' });
    expect(first.created).toBe(true);
    expect(again).toEqual({ requestNumber: first.requestNumber, created: false });
    expect(sims.elicense.requests.size).toBe(1);
    expect(sims.elicense.requests.get('instance-1')!.registrationCalls).toBe(2);
    const other = await a.elicense.registerRequest('instance-2', { applicantIinBin: BIN, applicantName: 'ТОО', serviceKey: 'weapon-activity-license' });
    expect(other.requestNumber).not.toBe(first.requestNumber);
    await expect(a.elicense.issueLicence(first.requestNumber)).rejects.toMatchObject({ name: 'ShepStatusError', code: 'SCE909', statusMessage: expect.stringMatching(/no positive decision/) });
    await a.elicense.recordDecision(first.requestNumber, 'issued', 'licence');
    const licence = await a.elicense.issueLicence(first.requestNumber);
    expect(licence).toMatch(/^KZ-LIC-/);
    expect(await a.elicense.issueLicence(first.requestNumber)).toBe(licence);
  });

  it('GBD FL / UL via ShEP: hit, miss, malformed IIN (format and control digit)', async () => {
    sims.gbd.addPerson(IIN, 'Ерланов Ерлан');
    sims.gbd.addCompany(BIN, 'ТОО «Қару»');
    expect(await a.gbd.lookupPerson(IIN)).toMatchObject({ status: 'found', name: 'Ерланов Ерлан' });
    expect(await a.gbd.lookupCompany(BIN)).toMatchObject({ status: 'found', name: 'ТОО «Қару»' });
    expect(await a.gbd.lookupPerson(makeIin(new Date(Date.UTC(1970, 0, 1)), 'female', 3))).toEqual({ status: 'not-found' });
    const badDigit = IIN.slice(0, 11) + String((Number(IIN[11]) + 1) % 10);
    expect(await a.gbd.lookupPerson(badDigit)).toMatchObject({ status: 'malformed' });
    expect(await a.gbd.lookupPerson('12345')).toMatchObject({ status: 'malformed' });
    // The adapter refused those locally: the database never saw them.
    expect(sims.gbd.lookups.map((l) => l.number)).not.toContain(badDigit);
    // The database refuses a malformed number itself too (not only the adapter), behind ShEP.
    const raw = await a.gbd.shep.send('gbdfl-person', { type: 'PersonRequest', values: { iin: badDigit } }, 'PersonResponse');
    expect(raw.values).toMatchObject({ status: 'malformed', iin: badDigit, message: expect.stringMatching(/control digit|check digit/i) });
  });

  it('State corporation and personal cabinet: idempotent by key', async () => {
    const r1 = await a.stateCorporation.register('instance-9', { applicantIinBin: IIN, applicantName: 'Е', serviceKey: 'expert-attestation' });
    expect(await a.stateCorporation.register('instance-9', { applicantIinBin: IIN, applicantName: 'Е', serviceKey: 'expert-attestation' })).toBe(r1);
    const n1 = await a.cabinet.notify('instance-9:notify', { recipient: IIN, notice: 'result' });
    expect(n1.created).toBe(true);
    expect(await a.cabinet.notify('instance-9:notify', { recipient: IIN, notice: 'result' })).toEqual({ ...n1, created: false });
    expect((await a.cabinet.list(IIN)).map((n) => n.notificationId)).toEqual([n1.notificationId]);
  });

  it('a stopped gateway -> ExternalSystemUnavailableError { system, url, reason, attempts } after the retries; it works again once started', async () => {
    await sims.stop('shep');
    try {
      const error = await a.payments.status(IIN, 'x').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ExternalSystemUnavailableError);
      expect(error).toMatchObject({ system: 'shep', attempts: 2, reason: expect.stringMatching(/ECONNREFUSED/) });
      expect((error as ExternalSystemUnavailableError).url).toContain(sims.urls.shep);
    } finally {
      await sims.start('shep');
    }
    expect((await a.payments.status(IIN, 'weapon-registration')).paid).toBe(true);
  });

  it('a system down behind a running gateway (SCE004) -> ExternalSystemUnavailableError naming the service and the code', async () => {
    await sims.stop('payment-gateway');
    try {
      const error = await a.payments.status(IIN, 'x').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ExternalSystemUnavailableError);
      expect(error).toMatchObject({ system: 'shep', reason: expect.stringMatching(/^PSHEP_PaymentStatus: SCE004 payment gateway .* unavailable behind ShEP/) });
    } finally {
      await sims.start('payment-gateway');
    }
    expect((await a.payments.status(IIN, 'weapon-registration')).paid).toBe(true);
  });

  it('an unconfigured system -> ExternalSystemUnavailableError naming the setting', async () => {
    // The CA is there (the provider's key signs ShEP messages); ShEP is not.
    const handlers = createDefaultHandlers({ urls: { ca: sims.urls.ca }, timeoutMs: 1000, attempts: 1, backoffMs: 1 });
    const ctx = { instanceId: 'i', businessKey: null, processDefinitionKey: 'p', activityId: 'a', properties: {}, variables: { applicantIinBin: IIN }, now: new Date() } as HandlerContext;
    await expect(handlers.get('payment.check')!.handler(ctx)).rejects.toMatchObject({ name: 'ExternalSystemUnavailableError', reason: expect.stringMatching(/SHEP_URL/) });
  });
});

describe('HTTP client faults', () => {
  it('times out a call that does not answer in time, retries it, then gives up', async () => {
    const slow = await fakeServer((_req, res) => setTimeout(() => res.end('{}'), 500));
    try {
      const client = new HttpClient({ system: 'slow', baseUrl: slow.url, timeoutMs: 80, attempts: 3, backoffMs: 10 });
      const started = Date.now();
      await expect(client.get('/x')).rejects.toMatchObject({ system: 'slow', attempts: 3, reason: expect.stringMatching(/timed out after 80 ms/) });
      expect(slow.count()).toBe(3);
      expect(Date.now() - started).toBeLessThan(450);
    } finally {
      await slow.close();
    }
  });

  it('retries 5xx with exponential backoff and succeeds when the system recovers', async () => {
    const times: number[] = [];
    const flaky = await fakeServer((_req, res, n) => {
      times.push(Date.now());
      if (n < 3) {
        res.statusCode = 503;
        res.end('busy');
      } else res.end(JSON.stringify({ paid: true, payments: [{ reference: 'R1' }] }));
    });
    try {
      const client = new HttpClient({ system: 'flaky', baseUrl: flaky.url, attempts: 3, backoffMs: 40 });
      expect((await client.get('/payments')).body).toMatchObject({ paid: true, payments: [{ reference: 'R1' }] });
      expect(flaky.count()).toBe(3);
      // backoff 40 ms, then 80 ms
      expect(times[1] - times[0]).toBeGreaterThanOrEqual(35);
      expect(times[2] - times[1]).toBeGreaterThanOrEqual(75);
    } finally {
      await flaky.close();
    }
  });

  it('does not retry a non-idempotent call', async () => {
    const down = await fakeServer((_req, res) => {
      res.statusCode = 500;
      res.end();
    });
    try {
      const client = new HttpClient({ system: 'x', baseUrl: down.url, attempts: 3, backoffMs: 1 });
      await expect(client.post('/y', {})).rejects.toMatchObject({ attempts: 1, reason: expect.stringMatching(/HTTP 500/) });
      expect(down.count()).toBe(1);
    } finally {
      await down.close();
    }
  });

  it('a 4xx is an answer, not an outage (no retry)', async () => {
    const server = await fakeServer((_req, res) => {
      res.statusCode = 404;
      res.end('{"registered":false}');
    });
    try {
      const client = new HttpClient({ system: 'x', baseUrl: server.url, attempts: 3 });
      expect(await client.get('/users/1')).toMatchObject({ status: 404, body: { registered: false } });
      expect(server.count()).toBe(1);
    } finally {
      await server.close();
    }
  });
});
