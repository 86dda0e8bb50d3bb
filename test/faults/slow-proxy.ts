import http from 'node:http';
import { AddressInfo } from 'node:net';
import { envelopeParts, readRequest } from '../../src/integrations/shep/envelope';
import { defaultShepSettings, SHEP_SERVICES } from '../../src/integrations/shep/services';
import { parseXml } from '../../src/integrations/shep/xml';

/** What the proxies saw: every external call, and a listener the killer sets to wait for a side effect. */
export interface ExternalTraffic {
  calls: number;
  /** Called when a side-effecting call (PUT/POST to a system's /api, or a ShEP message to a writing service) reached its system. */
  onSideEffect?: () => void;
}

/**
 * A proxy in front of a simulator that passes every request on at once and holds the answer for
 * `latencyMs`: with slow external systems a step takes long enough for many kills to land inside
 * it, after some of its side effects and before its commit.
 */
export async function slowProxy(target: string, latencyMs: number, traffic: ExternalTraffic): Promise<{ url: string; close(): Promise<void> }> {
  const to = new URL(target);
  const server = http.createServer((req, res) => {
    traffic.calls++;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => forward(req, res, Buffer.concat(chunks)));
  });
  const forward = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => {
    const sideEffect = ((req.method === 'PUT' || req.method === 'POST') && (req.url ?? '').startsWith('/api/')) || writesBehindShep(req, body);
    // The request reaches the system at once (its side effect happens); the answer comes late.
    const upstream = http.request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', () => {
        if (sideEffect) traffic.onSideEffect?.();
        setTimeout(() => {
          if (res.destroyed) return;
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(Buffer.concat(chunks));
        }, latencyMs);
      });
    });
    upstream.on('error', () => res.destroy());
    upstream.end(body);
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const WRITING_SERVICE_IDS = new Set<string>(SHEP_SERVICES.filter((s) => s.writes).map((s) => defaultShepSettings().serviceIds[s.key]));

/** A SOAP message to ShEP whose service changes something behind it (E-licensing's registration, decision, licence). */
function writesBehindShep(req: http.IncomingMessage, body: Buffer): boolean {
  if (req.method !== 'POST' || !/xml/.test(req.headers['content-type'] ?? '')) return false;
  try {
    return WRITING_SERVICE_IDS.has(readRequest(envelopeParts(parseXml(body.toString('utf8'))).body).info.serviceId);
  } catch {
    return false;
  }
}
