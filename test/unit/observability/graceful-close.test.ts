import http from 'node:http';
import { AddressInfo } from 'node:net';
import { graceful } from '../../../src/observability/graceful-close';

/* Closing a listener: refuse new connections, answer the request under way and close its connection, close idle keep-alive ones. */
function get(port: number, agent: http.Agent): Promise<{ status?: number; connection?: string; error?: string }> {
  return new Promise((resolve) => {
    const req = http.get({ port, host: '127.0.0.1', path: '/', agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, connection: res.headers.connection }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code }));
  });
}

describe('graceful close of an HTTP server', () => {
  it('answers the request under way with Connection: close, refuses new connections and closes idle keep-alive ones', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let arrived!: () => void;
    const slowArrived = new Promise<void>((resolve) => (arrived = resolve));
    const server = http.createServer((req, res) => {
      if (req.headers['x-slow']) {
        arrived();
        void held.then(() => res.end('slow'));
      } else res.end('fast');
    });
    const g = graceful(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const keepAlive = new http.Agent({ keepAlive: true });
    const busy = new http.Agent({ keepAlive: true });

    // An idle kept-alive connection, and a request under way on another one.
    expect(await get(port, keepAlive)).toMatchObject({ status: 200, connection: 'keep-alive' });
    const idleSockets = Object.values(keepAlive.freeSockets).flat();
    expect(idleSockets).toHaveLength(1);
    const idleClosed = new Promise<void>((resolve) => idleSockets[0]!.once('close', () => resolve()));
    const slow = new Promise<{ status?: number; connection?: string }>((resolve) => {
      const req = http.get({ port, host: '127.0.0.1', path: '/', agent: busy, headers: { 'x-slow': '1' } }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode, connection: res.headers.connection }));
      });
      req.on('error', () => resolve({}));
    });
    await slowArrived;

    let closed = false;
    const closing = g.close(Date.now() + 60_000).then(() => (closed = true));
    await idleClosed;
    expect(await get(port, new http.Agent({ keepAlive: false }))).toEqual({ error: 'ECONNREFUSED' });
    expect(closed).toBe(false);

    release();
    expect(await slow).toEqual({ status: 200, connection: 'close' });
    await closing;
    expect(closed).toBe(true);
    keepAlive.destroy();
    busy.destroy();
  });

  it('cuts a request still running at the deadline', async () => {
    const server = http.createServer(() => undefined);
    const g = graceful(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const answer = get(port, new http.Agent({ keepAlive: false }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await g.close(Date.now() + 100);
    expect(await answer).toEqual({ error: 'ECONNRESET' });
  });
});
