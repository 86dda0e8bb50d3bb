/**
 * A stand-in for NCALayer, the NCA of Kazakhstan's desktop signer, for tests and the demo run only:
 * never started in production (the signer's own NCALayer is, on their computer). Like NCALayer it is
 * a WebSocket server on the loopback interface that greets a connection with its version and answers
 * the JSON messages of the `kz.gov.pki.knca.basics` module:
 *
 *   → {"module":"kz.gov.pki.knca.basics","method":"sign","args":{"allowedStorages":[...],"format":"cms",
 *      "data":"<base64>","signingParams":{"decode":true,"encapsulate":true,"digested":false},
 *      "signerParams":{"extKeyUsageOids":[],"chain":[]},"locale":"kk"}}
 *   ← {"status":true,"body":{"result":["<base64 CMS>"]}}   (signed; one result per datum)
 *   ← {"status":true,"body":{}}                             (the person closed NCALayer's dialog)
 *   ← {"status":false,"code":"500","message":"...","details":"..."}   (a request NCALayer refuses)
 *
 * NCALayer's dialog, where a person picks a key store and a key and types its password, is not
 * modelled: the test (or the demo) chooses beforehand which of the simulator's keys answers, or that
 * the person cancels (`choose`). The keys are certificates of the CA simulator.
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { signCms, SigningCredentials } from '../../crypto/cms';

export const NCALAYER_VERSION = '1.4';
export const BASICS_MODULE = 'kz.gov.pki.knca.basics';

export interface SimulatorKey {
  /** The name the test or the demo chooses it by (NCALayer shows the certificate's subject). */
  alias: string;
  credentials: SigningCredentials;
}

/** What the person does in NCALayer's dialog at the next signing: sign with a key, or cancel. */
export type DialogChoice = { key: string } | 'cancel';

interface BasicsRequest {
  module?: unknown;
  method?: unknown;
  args?: { format?: unknown; data?: unknown; signingParams?: { decode?: unknown; encapsulate?: unknown; digested?: unknown } };
}

const refuse = (message: string, code = '500') => ({ status: false, code, message, details: message });

const truthy = (value: unknown) => value === true || value === 'true';

export class NcaLayerSimulator {
  private readonly keys = new Map<string, SigningCredentials>();
  private choice: DialogChoice = 'cancel';
  /** Every request received, parsed (tests check what the web app sent). */
  readonly requests: unknown[] = [];

  private constructor(
    private readonly server: http.Server,
    private readonly wss: WebSocketServer,
    readonly url: string,
  ) {}

  /** Listens on 127.0.0.1 (NCALayer answers only its own computer); port 0 takes a free one. */
  static async start(options: { port?: number; keys?: SimulatorKey[] } = {}): Promise<NcaLayerSimulator> {
    const server = http.createServer((_req, res) => {
      res.writeHead(426, { 'content-type': 'text/plain' }).end('NCALayer simulator: connect with a WebSocket');
    });
    const wss = new WebSocketServer({ server });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const simulator = new NcaLayerSimulator(server, wss, `ws://127.0.0.1:${port}/`);
    for (const key of options.keys ?? []) simulator.addKey(key.alias, key.credentials);
    wss.on('connection', (socket) => simulator.greet(socket));
    return simulator;
  }

  addKey(alias: string, credentials: SigningCredentials): void {
    this.keys.set(alias, credentials);
  }

  get aliases(): string[] {
    return [...this.keys.keys()];
  }

  /** What the person will do at the next signings: the key they pick, or cancel. */
  choose(choice: DialogChoice): void {
    if (choice !== 'cancel' && !this.keys.has(choice.key)) throw new Error(`The NCALayer simulator holds no key "${choice.key}" (it holds ${this.aliases.join(', ') || 'none'})`);
    this.choice = choice;
  }

  private greet(socket: WebSocket): void {
    socket.send(JSON.stringify({ result: { version: NCALAYER_VERSION } }));
    socket.on('message', (data) => {
      const text = data.toString();
      // NCALayer's clients keep the connection alive with this text; it is echoed, not parsed.
      if (text === '--heartbeat--') {
        socket.send(text);
        return;
      }
      this.answer(text)
        .then((response) => socket.send(JSON.stringify(response)))
        .catch((error: unknown) => socket.send(JSON.stringify(refuse(error instanceof Error ? error.message : String(error)))));
    });
  }

  private async answer(text: string): Promise<unknown> {
    let request: BasicsRequest;
    try {
      request = JSON.parse(text) as BasicsRequest;
    } catch {
      return refuse('The request is not JSON');
    }
    this.requests.push(request);
    if (request.module !== BASICS_MODULE) return refuse(`Module ${String(request.module)} is not modelled by the simulator (only ${BASICS_MODULE})`, 'MODULE_NOT_FOUND');
    if (request.method !== 'sign') return refuse(`Method ${String(request.method)} is not modelled by the simulator (only sign)`, 'METHOD_NOT_FOUND');
    const args = request.args ?? {};
    if (args.format !== 'cms') return refuse(`Format ${String(args.format)} is not modelled by the simulator (only cms)`);
    const params = args.signingParams ?? {};
    if (truthy(params.digested)) return refuse('Signing a digest (digested: true) is not modelled by the simulator');
    const data = Array.isArray(args.data) ? args.data : [args.data];
    if (data.length === 0 || data.some((d) => typeof d !== 'string' || d === '')) return refuse('args.data must be a base64 string or an array of them');
    const decode = truthy(params.decode);
    const encapsulate = params.encapsulate === undefined ? true : truthy(params.encapsulate);

    const choice = this.choice;
    // NCALayer answers a closed dialog with a successful status and no result.
    if (choice === 'cancel') return { status: true, body: {} };
    const credentials = this.keys.get(choice.key)!;
    const results: string[] = [];
    for (const datum of data as string[]) {
      if (decode && !/^[A-Za-z0-9+/]*={0,2}$/.test(datum.replace(/\s+/g, ''))) return refuse('args.data is not base64 (signingParams.decode is true)');
      const bytes = decode ? new Uint8Array(Buffer.from(datum, 'base64')) : new Uint8Array(Buffer.from(datum, 'utf8'));
      results.push(Buffer.from(await signCms(bytes, credentials, new Date(), { detached: !encapsulate })).toString('base64'));
    }
    return { status: true, body: { result: results } };
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
