import express from 'express';
import * as pkijs from 'pkijs';
import { readData, ShepData } from './data';
import { buildFault, buildResponse, readRequest } from './envelope';
import { SHEP_BACKEND_TITLES, SHEP_BACKENDS, SHEP_SERVICES, ShepBackend, ShepService, ShepServiceKey, ShepSettings } from './services';
import { SHEP_SUCCESS } from './status';
import { verifyEnvelope } from './ws-security';
import { serializeXml } from './xml';

/**
 * A simulator of the e-government gateway's synchronous channel (ShEP SyncChannel), for tests and
 * the default run only: a SOAP 1.1 endpoint (POST / or /bip-sync) that verifies each message's
 * WS-Security signature (the certificate must chain to the CA simulator's root and not be
 * revoked) and its sender id and password, routes it by serviceId to the state system behind it
 * (GBD FL/UL, E-licensing, payment gateway: their in-memory simulators), and answers with
 * SendMessageResponse (status SCSS001 and the data, or the target's error code) or, when the
 * gateway itself refuses the message, a SOAP fault with errorInfo.
 *
 * Faults for tests (in process through `state`, or over HTTP):
 *   PUT/DELETE /admin/shep/down/{gbd|elicense|payment-gateway}  a system behind ShEP is down (SCE004) / back
 *   POST /admin/shep/faults { service?, kind: status|malformed|bare-fault|delay, code?, message?, delayMs?, times? }
 *   DELETE /admin/shep/faults;  GET /admin/shep/messages (what arrived, with the outcome)
 * The state systems' own admin endpoints (/admin/persons, /admin/payments, /admin/employees, ...)
 * are served here too: they have no address of their own.
 */
export type ShepServiceAnswer = { data: ShepData } | { code: string; message: string };
export type ShepServiceHandler = (data: ShepData) => ShepServiceAnswer;

export interface ShepBackendSimulator {
  services: Partial<Record<ShepServiceKey, ShepServiceHandler>>;
  /** The state system's admin endpoints (seeding data), mounted on the gateway's app. */
  admin?: express.Router;
}

export type ShepFault = { service?: ShepServiceKey; times?: number } & (
  | { kind: 'status'; code: string; message?: string }
  | { kind: 'malformed' }
  | { kind: 'bare-fault'; message?: string }
  | { kind: 'delay'; delayMs: number }
);

export interface ShepMessageRecord {
  messageId?: string;
  serviceId?: string;
  service?: ShepServiceKey;
  senderId?: string;
  /** SCSS001, the error code answered, or the injected fault's kind. */
  outcome: string;
  reason?: string;
  /** The subject of the certificate that signed the message (when the signature verified). */
  signer?: string;
  at: string;
}

export class ShepSimulatorState {
  readonly messages: ShepMessageRecord[] = [];
  readonly down = new Set<ShepBackend>();
  faults: ShepFault[] = [];

  /** Makes a system behind ShEP unavailable (its services answer SCE004) or available again. */
  setDown(backend: ShepBackend, down: boolean): void {
    if (down) this.down.add(backend);
    else this.down.delete(backend);
  }

  inject(fault: ShepFault): void {
    this.faults.push({ ...fault });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** The fault for this service, counted down when it has `times`. */
  takeFault(service: ShepServiceKey): ShepFault | undefined {
    const index = this.faults.findIndex((f) => !f.service || f.service === service);
    if (index < 0) return undefined;
    const fault = this.faults[index];
    if (fault.times !== undefined && --fault.times <= 0) this.faults.splice(index, 1);
    return fault;
  }
}

export interface ShepSimulatorOptions {
  settings: ShepSettings;
  /** The roots a message's signing certificate must chain to, and its revocation (the CA simulator's). */
  trust: () => { roots: pkijs.Certificate[]; isRevoked?: (serialHex: string) => boolean };
  backends: Record<ShepBackend, ShepBackendSimulator>;
}

const XML = 'text/xml; charset=utf-8';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createShepSimulator(options: ShepSimulatorOptions, state = new ShepSimulatorState()) {
  const app = express();
  app.get('/health', (_req, res) => {
    res.json({ system: 'shep', status: 'up' });
  });
  const byServiceId = new Map<string, ShepService>(SHEP_SERVICES.map((s) => [options.settings.serviceIds[s.key], s]));

  const fault = (res: express.Response, record: ShepMessageRecord, code: string, message: string, faultcode: 'soap:Client' | 'soap:Server' = 'soap:Client') => {
    state.messages.push({ ...record, outcome: code, reason: message });
    res.status(500).type(XML).send(serializeXml(buildFault(faultcode, code, message)));
  };

  const soap: express.RequestHandler = async (req, res, next) => {
    const record: ShepMessageRecord = { outcome: '', at: new Date().toISOString() };
    try {
      if (typeof req.body !== 'string' || req.body === '') return fault(res, record, 'SCE003', `expected a SOAP 1.1 envelope as text/xml, got ${req.headers['content-type'] ?? 'no content type'}`);
      const trust = options.trust();
      const verified = await verifyEnvelope(req.body, { roots: trust.roots, isRevoked: trust.isRevoked });
      if (!verified.ok) return fault(res, record, verified.code, verified.reason);
      record.signer = verified.certificate.subject.typesAndValues.map((tv) => `${tv.type}=${tv.value.valueBlock.value}`).join(', ');
      let request: ReturnType<typeof readRequest>;
      try {
        request = readRequest(verified.body);
      } catch (error) {
        return fault(res, record, 'SCE003', `malformed SendMessage: ${(error as Error).message}`);
      }
      const { info } = request;
      Object.assign(record, { messageId: info.messageId, serviceId: info.serviceId, senderId: info.sender.senderId });
      if (info.sender.senderId !== options.settings.senderId || info.sender.password !== options.settings.password) return fault(res, record, 'SCE001', `sender "${info.sender.senderId}" is unknown or its password is wrong`);
      const service = byServiceId.get(info.serviceId);
      if (!service) return fault(res, record, 'SCE002', `no service "${info.serviceId}" is registered at ShEP for sender "${info.sender.senderId}"`);
      record.service = service.key;

      const respond = (status: { code: string; message: string }, data?: ShepData) => {
        state.messages.push({ ...record, outcome: status.code, ...(status.code === SHEP_SUCCESS ? {} : { reason: status.message }) });
        const doc = buildResponse({ messageId: info.messageId, correlationId: info.correlationId, responseDate: new Date(), status }, data);
        return serializeXml(doc);
      };

      const injected = state.takeFault(service.key);
      if (injected?.kind === 'delay') await sleep(injected.delayMs);
      if (injected?.kind === 'status') return void res.type(XML).send(respond({ code: injected.code, message: injected.message ?? `injected ${injected.code}` }));
      if (injected?.kind === 'bare-fault') {
        state.messages.push({ ...record, outcome: 'bare-fault' });
        // A fault without SendMessageFault detail: what a broken intermediary (or a foreign server) answers.
        const doc = buildFault('soap:Server', 'none', injected.message ?? 'internal error');
        const detail = doc.getElementsByTagName('detail')[0];
        detail.parentNode!.removeChild(detail);
        return void res.status(500).type(XML).send(serializeXml(doc));
      }
      if (injected?.kind === 'malformed') {
        state.messages.push({ ...record, outcome: 'malformed' });
        const whole = respond({ code: SHEP_SUCCESS, message: 'Message has been processed successfully' });
        state.messages.pop();
        return void res.type(XML).send(whole.slice(0, Math.floor(whole.length / 2)));
      }

      if (state.down.has(service.backend)) return void res.type(XML).send(respond({ code: 'SCE004', message: `${SHEP_BACKEND_TITLES[service.backend]} (${info.serviceId}) is unavailable behind ShEP` }));
      const handler = options.backends[service.backend].services[service.key];
      if (!handler) return void res.type(XML).send(respond({ code: 'SCE004', message: `${SHEP_BACKEND_TITLES[service.backend]} does not serve ${info.serviceId}` }));
      if (!request.data) return fault(res, record, 'SCE003', 'requestData/data is missing');
      let data: ShepData;
      try {
        data = readData(request.data);
      } catch (error) {
        return fault(res, record, 'SCE003', `requestData/data: ${(error as Error).message}`);
      }
      let answer: ShepServiceAnswer;
      try {
        answer = handler(data);
      } catch (error) {
        answer = { code: 'SCE909', message: `${SHEP_BACKEND_TITLES[service.backend]}: ${(error as Error).message}` };
      }
      if ('data' in answer) res.type(XML).send(respond({ code: SHEP_SUCCESS, message: 'Message has been processed successfully' }, answer.data));
      else res.type(XML).send(respond({ code: answer.code, message: answer.message }));
    } catch (error) {
      next(error);
    }
  };
  const text = express.text({ type: ['text/xml', 'application/soap+xml', 'application/xml'], limit: '5mb' });
  app.post('/', text, soap);
  app.post('/bip-sync', text, soap);

  app.use('/admin', express.json({ limit: '5mb' }));
  app.get('/admin/shep/messages', (_req, res) => {
    res.json(state.messages);
  });
  app.put('/admin/shep/down/:backend', (req, res) => {
    const backend = SHEP_BACKENDS.find((b) => b === req.params.backend);
    if (!backend) return void res.status(404).json({ error: `no system ${req.params.backend} behind ShEP (${SHEP_BACKENDS.join(', ')})` });
    state.setDown(backend, true);
    res.json({ backend, down: true });
  });
  app.delete('/admin/shep/down/:backend', (req, res) => {
    const backend = SHEP_BACKENDS.find((b) => b === req.params.backend);
    if (!backend) return void res.status(404).json({ error: `no system ${req.params.backend} behind ShEP` });
    state.setDown(backend, false);
    res.status(204).end();
  });
  app.post('/admin/shep/faults', (req, res) => {
    const b = req.body ?? {};
    const service = SHEP_SERVICES.find((s) => s.key === b.service)?.key;
    if (b.service !== undefined && !service) return void res.status(400).json({ error: `unknown service ${String(b.service)} (${SHEP_SERVICES.map((s) => s.key).join(', ')})` });
    const times = b.times === undefined ? undefined : Number(b.times);
    const common = { service, times };
    if (b.kind === 'status' && typeof b.code === 'string') state.inject({ ...common, kind: 'status', code: b.code, message: b.message });
    else if (b.kind === 'malformed') state.inject({ ...common, kind: 'malformed' });
    else if (b.kind === 'bare-fault') state.inject({ ...common, kind: 'bare-fault', message: b.message });
    else if (b.kind === 'delay' && Number(b.delayMs) > 0) state.inject({ ...common, kind: 'delay', delayMs: Number(b.delayMs) });
    else return void res.status(400).json({ error: 'kind must be status (with code), malformed, bare-fault or delay (with delayMs)' });
    res.status(201).json(state.faults);
  });
  app.delete('/admin/shep/faults', (_req, res) => {
    state.clearFaults();
    res.status(204).end();
  });
  for (const backend of SHEP_BACKENDS) {
    const admin = options.backends[backend].admin;
    if (admin) app.use(admin);
  }
  app.use((_req: express.Request, res: express.Response) => {
    res.status(404).json({ error: 'not-found' });
  });
  app.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(500).json({ error: 'internal', message: err instanceof Error ? err.message : String(err) });
  });
  return { app, state };
}
