import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { validateXML } from 'xmllint-wasm';
import { SigningCredentials } from '../../../src/crypto/cms';
import { createCertificate, generateKeyPair } from '../../../src/crypto/pki';
import { makeBin, makeIin } from '../../../src/iin-bin';
import { Adapters } from '../../../src/integrations/clients';
import { ElicenseAdapter } from '../../../src/integrations/elicense/client';
import { ExternalSystemUnavailableError, HttpClient } from '../../../src/integrations/http-client';
import { ShepClient } from '../../../src/integrations/shep/client';
import { readAnswer, readRequest } from '../../../src/integrations/shep/envelope';
import { defaultShepSettings, SHEP_SERVICES, ShepServiceKey } from '../../../src/integrations/shep/services';
import { SHEP_STATUS, ShepProtocolError, ShepStatusError } from '../../../src/integrations/shep/status';
import { verifyEnvelope } from '../../../src/integrations/shep/ws-security';
import { NS, parseXml, serializeXml, XmlElement } from '../../../src/integrations/shep/xml';
import { simulatorClients, Simulators, startSimulators } from '../../../src/integrations/simulators';

const FIXTURES = path.resolve(__dirname, '../../fixtures/shep');
const schemaFile = (name: string) => ({ fileName: name, contents: fs.readFileSync(path.join(FIXTURES, name), 'utf8') });

/** Validates a message against test/fixtures/shep (SOAP envelope, SyncChannel types, our data types) with xmllint. */
async function schemaErrors(xml: string): Promise<string[]> {
  const result = await validateXML({ xml: [{ fileName: 'message.xml', contents: xml }], schema: [schemaFile('soap-envelope.xsd')], preload: [schemaFile('sync-channel.xsd'), schemaFile('reglament-data.xsd')] });
  return result.errors.map((e) => e.message);
}

interface Exchange {
  request: string;
  status: number;
  response: string;
}

/** A proxy in front of the ShEP simulator that keeps every message and answer as they crossed the wire. */
async function recordingProxy(target: string) {
  const exchanges: Exchange[] = [];
  const to = new URL(target);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = Buffer.concat(chunks).toString('utf8');
      const upstream = http.request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        const back: Buffer[] = [];
        answer.on('data', (c: Buffer) => back.push(c));
        answer.on('end', () => {
          const response = Buffer.concat(back).toString('utf8');
          exchanges.push({ request, status: answer.statusCode ?? 0, response });
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(response);
        });
      });
      upstream.on('error', () => res.destroy());
      upstream.end(request);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    exchanges,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

async function post(url: string, xml: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8' }, body: xml });
  return { status: response.status, text: await response.text() };
}

const IIN = makeIin(new Date(Date.UTC(1986, 4, 12)), 'female', 41);
const BIN = makeBin(new Date(Date.UTC(2013, 2, 1)), 58);

describe('ShEP SyncChannel: contract of every adapter through the ShEP simulator (real HTTP, real XML-DSig)', () => {
  let sims: Simulators;
  let proxy: Awaited<ReturnType<typeof recordingProxy>>;
  let a: Adapters;
  const tuning = { timeoutMs: 2000, attempts: 1, backoffMs: 1 };
  beforeAll(async () => {
    sims = await startSimulators({ employees: ['olga-office'] });
    proxy = await recordingProxy(sims.urls.shep);
    a = simulatorClients({ ...sims, urls: { ...sims.urls, shep: proxy.url } }, tuning);
  });
  afterAll(async () => {
    await proxy.close();
    await sims.close();
  });
  afterEach(() => sims.shep.clearFaults());

  const shepClient = (credentials: () => Promise<SigningCredentials>, settings = defaultShepSettings()) =>
    new ShepClient(new HttpClient({ system: 'shep', baseUrl: sims.urls.shep, ...tuning }), settings, credentials);

  it("each adapter's request and each answer match the XSD; each request's signature verifies with the XML-DSig verifier; every service is covered", async () => {
    sims.gbd.addPerson(IIN, 'Серікова Айгүл', '1986-05-12');
    sims.gbd.addCompany(BIN, 'ТОО «Мақта»', 'Серікова А.');
    sims.payments.markPaid(IIN, 'cotton-warehouse-license', 3692);
    const from = proxy.exchanges.length;

    expect(await a.gbd.lookupPerson(IIN)).toMatchObject({ status: 'found', name: 'Серікова Айгүл', record: { birthDate: '1986-05-12' } });
    expect(await a.gbd.lookupCompany(BIN)).toMatchObject({ status: 'found', name: 'ТОО «Мақта»', record: { head: 'Серікова А.' } });
    expect(await a.elicense.isEmployee('olga-office')).toBe(true);
    const { requestNumber } = await a.elicense.registerRequest('contract-1', { applicantIinBin: BIN, applicantName: 'ТОО «Мақта»', serviceKey: 'cotton-warehouse-license' });
    await a.elicense.recordDecision(requestNumber, 'issued', 'licence');
    const licence = await a.elicense.issueLicence(requestNumber);
    expect(await a.elicense.getRequest(requestNumber)).toMatchObject({ requestId: 'contract-1', decision: 'issued', resultKind: 'licence', licenceNumber: licence });
    expect(await a.payments.status(IIN, 'cotton-warehouse-license')).toMatchObject({ paid: true, payments: [{ serviceKey: 'cotton-warehouse-license', amount: 3692 }] });

    const exchanges = proxy.exchanges.slice(from);
    const provider = await sims.ca.providerCredentials();
    const seen = new Set<ShepServiceKey>();
    for (const exchange of exchanges) {
      expect(await schemaErrors(exchange.request)).toEqual([]);
      expect(await schemaErrors(exchange.response)).toEqual([]);
      const verified = await verifyEnvelope(exchange.request, { roots: [sims.ca.root] });
      if (!verified.ok) throw new Error(`${verified.code}: ${verified.reason}`);
      expect(verified.certificate.serialNumber.isEqual(provider.certificate.serialNumber)).toBe(true);
      const { info } = readRequest(verified.body);
      const service = SHEP_SERVICES.find((s) => s.defaultId === info.serviceId)!;
      expect(service).toBeDefined();
      seen.add(service.key);
      expect(info.sender).toEqual({ senderId: 'reglament', password: 'reglament-simulator' });
      const answer = readAnswer(parseXml(exchange.response));
      expect(answer).toMatchObject({ kind: 'response', info: { messageId: info.messageId, status: { code: 'SCSS001' } } });
    }
    expect([...seen].sort()).toEqual(SHEP_SERVICES.map((s) => s.key).sort());
    // The gateway verified them too, and saw who signed.
    const verifiedAtGateway = sims.shep.messages.slice(-exchanges.length);
    expect(verifiedAtGateway.every((m) => m.outcome === 'SCSS001' && /Service provider/.test(m.signer ?? ''))).toBe(true);
  });

  it('a tampered body is rejected (SCE006, a SOAP fault valid against the XSD) and changes nothing behind ShEP', async () => {
    const from = proxy.exchanges.length;
    await a.elicense.registerRequest('contract-2', { applicantIinBin: BIN, applicantName: 'ТОО «Мақта»', serviceKey: 'cotton-warehouse-license' });
    const original = proxy.exchanges[from].request;
    const requests = sims.elicense.requests.size;

    const doc = parseXml(original);
    const requestId = doc.getElementsByTagNameNS(NS.data, 'requestId')[0];
    requestId.textContent = 'contract-2-forged';
    const tampered = await post(sims.urls.shep, serializeXml(doc));
    expect(tampered.status).toBe(500);
    expect(await schemaErrors(tampered.text)).toEqual([]);
    expect(readAnswer(parseXml(tampered.text))).toMatchObject({ kind: 'fault', faultcode: 'soap:Client', errorCode: 'SCE006', errorMessage: expect.stringMatching(/Body was changed after it was signed/) });
    expect(sims.elicense.requests.size).toBe(requests);
    expect(sims.elicense.requests.has('contract-2-forged')).toBe(false);

    // The same message unchanged is accepted (the registration is idempotent by its id).
    const replay = await post(sims.urls.shep, original);
    expect(replay.status).toBe(200);
    expect(sims.elicense.requests.get('contract-2')!.registrationCalls).toBe(2);

    // Without the signature: SCE007.
    const unsigned = parseXml(original);
    const security = unsigned.getElementsByTagNameNS(NS.wsse, 'Security')[0];
    security.parentNode!.removeChild(security);
    expect(readAnswer(parseXml((await post(sims.urls.shep, serializeXml(unsigned))).text))).toMatchObject({ kind: 'fault', errorCode: 'SCE007' });

    // A second Body-like element with the signed id moved elsewhere (signature wrapping): refused.
    const wrapped = parseXml(original);
    const body = wrapped.getElementsByTagNameNS(NS.soap, 'Body')[0];
    const decoy = body.cloneNode(true) as XmlElement;
    decoy.getElementsByTagNameNS(NS.data, 'requestId')[0].textContent = 'contract-2-wrapped';
    decoy.setAttributeNS(NS.wsu, 'wsu:Id', 'id-decoy');
    wrapped.documentElement.replaceChild(decoy, body);
    wrapped.getElementsByTagNameNS(NS.wsse, 'Security')[0].appendChild(body);
    expect(readAnswer(parseXml((await post(sims.urls.shep, serializeXml(wrapped))).text))).toMatchObject({ kind: 'fault', errorCode: 'SCE006' });
    expect(sims.elicense.requests.has('contract-2-wrapped')).toBe(false);

    // Not XML at all: SCE003.
    expect(readAnswer(parseXml((await post(sims.urls.shep, '<soap:Envelope')).text))).toMatchObject({ kind: 'fault', errorCode: 'SCE003' });
  });

  it('the gateway refuses an untrusted or revoked signing certificate (SCE005), a wrong password (SCE001) and an unknown service (SCE002): ShepStatusError, nothing reaches the system', async () => {
    const lookups = sims.gbd.lookups.length;
    const DAY = 86400_000;
    const rogueKeys = await generateKeyPair('ECDSA');
    const rogue = await createCertificate({ subject: { commonName: 'Not the NCA' }, publicKey: rogueKeys.publicKey, signingKey: rogueKeys.privateKey, notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + DAY), ca: true });
    const untrusted = shepClient(async () => ({ privateKey: rogueKeys.privateKey, certificate: rogue }));
    await expect(untrusted.send('gbdfl-person', { type: 'PersonRequest', values: { iin: IIN } }, 'PersonResponse')).rejects.toMatchObject({ name: 'ShepStatusError', code: 'SCE005', via: 'fault', statusMessage: expect.stringMatching(/not issued by a trusted root/) });

    const revoked = await sims.ca.issue({ subject: { commonName: 'Revoked provider', bin: BIN } });
    sims.ca.revoke(revoked.serialNumber);
    await expect(shepClient(async () => revoked).send('gbdfl-person', { type: 'PersonRequest', values: { iin: IIN } }, 'PersonResponse')).rejects.toMatchObject({ code: 'SCE005', statusMessage: expect.stringMatching(/revoked/) });

    const provider = async () => sims.ca.providerCredentials();
    await expect(shepClient(provider, { ...defaultShepSettings(), password: 'wrong' }).send('gbdfl-person', { type: 'PersonRequest', values: { iin: IIN } }, 'PersonResponse')).rejects.toMatchObject({ code: 'SCE001', statusMessage: expect.stringMatching(/password/) });
    const otherIds = defaultShepSettings();
    otherIds.serviceIds['gbdfl-person'] = 'GBDFL_NotRegistered';
    const error = await shepClient(provider, otherIds).send('gbdfl-person', { type: 'PersonRequest', values: { iin: IIN } }, 'PersonResponse').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShepStatusError);
    expect((error as Error).message).toMatch(/^ShEP GBDFL_NotRegistered answered SCE002 \(unknown service, or the sender may not call it\): no service "GBDFL_NotRegistered"/);
    expect(sims.gbd.lookups.length).toBe(lookups);
  });

  // Every status code of the table, answered by the system behind ShEP, and each way an answer can be unusable.
  const codes = Object.keys(SHEP_STATUS).filter((c) => c !== 'SCSS001');
  it.each(codes)('status %s -> its typed error with the code and the message', async (code) => {
    sims.shep.inject({ service: 'payment-status', kind: 'status', code, message: `injected ${code} for the test`, times: 1 });
    const error = await a.payments.status(IIN, 'cotton-warehouse-license').catch((e: unknown) => e);
    if (code === 'SCE004') {
      expect(error).toBeInstanceOf(ExternalSystemUnavailableError);
      expect(error).toMatchObject({ system: 'shep', reason: expect.stringMatching(new RegExp(`^PSHEP_PaymentStatus: SCE004 injected SCE004 for the test \\[messageId [0-9a-f-]{36}\\]$`)) });
    } else {
      expect(error).toBeInstanceOf(ShepStatusError);
      expect(error).toMatchObject({ code, statusMessage: `injected ${code} for the test`, serviceId: 'PSHEP_PaymentStatus', via: 'status' });
      expect((error as Error).message).toContain(`answered ${code} (${SHEP_STATUS[code as keyof typeof SHEP_STATUS].meaning})`);
    }
    // The next call is answered again.
    expect((await a.payments.status(IIN, 'cotton-warehouse-license')).paid).toBe(true);
  });

  it.each([
    ['malformed', { kind: 'malformed' as const }, /malformed envelope/],
    ['bare-fault', { kind: 'bare-fault' as const, message: 'NullPointerException' }, /SOAP fault soap:Server: NullPointerException/],
  ])('%s answer -> ShepProtocolError (an incident with the reason)', async (_name, fault, reason) => {
    sims.shep.inject({ service: 'gbdfl-person', times: 1, ...fault });
    const error = await a.gbd.lookupPerson(IIN).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShepProtocolError);
    expect((error as Error).message).toMatch(reason);
  });

  it('a gateway that does not answer in time -> ExternalSystemUnavailableError after the timeout', async () => {
    const slow = new ElicenseAdapter(new ShepClient(new HttpClient({ system: 'shep', baseUrl: sims.urls.shep, timeoutMs: 100, attempts: 2, backoffMs: 1 }), defaultShepSettings(), async () => sims.ca.providerCredentials()));
    sims.shep.inject({ service: 'elicense-employee', kind: 'delay', delayMs: 400, times: 2 });
    await expect(slow.isEmployee('olga-office')).rejects.toMatchObject({ name: 'ExternalSystemUnavailableError', system: 'shep', attempts: 2, reason: expect.stringMatching(/timed out after 100 ms/) });
  });

  it('no request bypasses ShEP: the systems behind it have no server of their own, and their old routes are not served', async () => {
    expect(Object.keys(sims.servers).sort()).toEqual(['ca', 'cabinet', 'egov-portal', 'shep', 'state-corporation']);
    for (const route of [`/shep/gbdfl/persons/${IIN}`, `/api/payments?payer=${IIN}`, '/api/employees/olga-office']) expect((await fetch(`${sims.urls.shep}${route}`)).status).toBe(404);
    // Their seeding endpoints are on the gateway's address.
    expect((await fetch(`${sims.urls.shep}/admin/persons/${IIN}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Серікова Айгүл' }) })).status).toBe(200);
    expect(sims.gbd.persons.get(IIN)?.name).toBe('Серікова Айгүл');
  });

  it('faults over HTTP: a system down behind ShEP answers SCE004 until it is back; a fault of an unknown kind is refused', async () => {
    const admin = (method: string, route: string, body?: unknown) => fetch(`${sims.urls.shep}/admin/shep${route}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    expect((await admin('PUT', '/down/elicense')).status).toBe(200);
    await expect(a.elicense.isEmployee('olga-office')).rejects.toMatchObject({ name: 'ExternalSystemUnavailableError', reason: expect.stringMatching(/SCE004 E-licensing/) });
    expect((await admin('DELETE', '/down/elicense')).status).toBe(204);
    expect(await a.elicense.isEmployee('olga-office')).toBe(true);
    expect((await admin('PUT', '/down/nowhere')).status).toBe(404);
    expect((await admin('POST', '/faults', { kind: 'explode' })).status).toBe(400);
    expect((await admin('POST', '/faults', { kind: 'status', code: 'SCE909', service: 'gbdfl-person', times: 1 })).status).toBe(201);
    await expect(a.gbd.lookupPerson(IIN)).rejects.toMatchObject({ code: 'SCE909' });
    expect(await a.gbd.lookupPerson(IIN)).toMatchObject({ status: 'found' });
    const messages = (await (await admin('GET', '/messages')).json()) as { outcome: string }[];
    expect(messages.map((m) => m.outcome)).toEqual(expect.arrayContaining(['SCSS001', 'SCE004', 'SCE909']));
  });

  it('configured service ids and sender: the simulator of the default run accepts what the server is configured with', async () => {
    const settings = { senderId: 'akimat-is', password: 's3cret', serviceIds: { ...defaultShepSettings().serviceIds, 'gbdul-company': 'GBDUL_Custom_v2' } };
    const own = await startSimulators({ shep: settings });
    try {
      const client = simulatorClients(own, tuning);
      own.gbd.addCompany(BIN, 'ТОО «Мақта»');
      // The clients still use the defaults: the gateway does not know that sender.
      await expect(client.gbd.lookupCompany(BIN)).rejects.toMatchObject({ code: 'SCE001' });
      const configured = new ShepClient(new HttpClient({ system: 'shep', baseUrl: own.urls.shep, ...tuning }), settings, async () => own.ca.providerCredentials());
      const answer = await configured.send('gbdul-company', { type: 'CompanyRequest', values: { bin: BIN } }, 'CompanyResponse');
      expect(answer.values).toMatchObject({ status: 'found', name: 'ТОО «Мақта»' });
      expect(own.shep.messages.at(-1)).toMatchObject({ serviceId: 'GBDUL_Custom_v2', senderId: 'akimat-is', outcome: 'SCSS001' });
    } finally {
      await own.close();
    }
  });
});
