import http from 'node:http';
import { AddressInfo } from 'node:net';
import express from 'express';

/**
 * An express app of a simulator bound to a port, that can be stopped and started again on the
 * same port with its in-memory state intact (tests make a system unreachable this way).
 */
export class SimulatorServer {
  private server?: http.Server;
  private port: number;

  constructor(
    readonly name: string,
    readonly app: express.Express,
    private readonly host = '127.0.0.1',
    port = 0,
  ) {
    this.port = port;
  }

  get running(): boolean {
    return !!this.server;
  }

  get url(): string {
    if (!this.port) throw new Error(`Simulator ${this.name} has not been started`);
    return `http://${this.host}:${this.port}`;
  }

  async start(): Promise<string> {
    if (this.server) return this.url;
    const server = http.createServer(this.app);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.host, () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this.url;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}

/** JSON body parsing, a health endpoint and JSON errors: what every simulator app starts with. */
export function simulatorApp(name: string): express.Express {
  const app = express();
  app.use(express.json({ limit: '5mb' }));
  app.get('/health', (_req, res) => {
    res.json({ system: name, status: 'up' });
  });
  return app;
}

export function finishApp(app: express.Express): express.Express {
  app.use((_req: express.Request, res: express.Response) => {
    res.status(404).json({ error: 'not-found' });
  });
  app.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(500).json({ error: 'internal', message: err instanceof Error ? err.message : String(err) });
  });
  return app;
}

/** Sequential document numbers of a simulator: PREFIX-000001. */
export function counter(prefix: string): () => string {
  let n = 0;
  return () => `${prefix}-${String(++n).padStart(6, '0')}`;
}
