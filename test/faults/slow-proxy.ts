import http from 'node:http';
import { AddressInfo } from 'node:net';

/** What the proxies saw: every external call, and a listener the killer sets to wait for a side effect. */
export interface ExternalTraffic {
  calls: number;
  /** Called when a side-effecting call (PUT/POST to a system's /api) reached its system. */
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
    const sideEffect = (req.method === 'PUT' || req.method === 'POST') && (req.url ?? '').startsWith('/api/');
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
    req.pipe(upstream);
  });
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
