import { WebSocket } from 'ws';
import { parseCms } from '../../../src/crypto/cms';
import { CertificationAuthority } from '../../../src/integrations/eds/ca-simulator';
import { NcaLayerSimulator } from '../../../src/integrations/ncalayer-simulator/ncalayer-simulator';

/*
 * The NCALayer simulator speaks NCALayer's WebSocket messages (docs/external-systems.md, NCALayer):
 * the greeting, the heartbeat, kz.gov.pki.knca.basics sign answered with a CMS of the chosen key
 * (attached or detached), an empty body when the person cancels, and status false for what NCALayer
 * refuses.
 */

/** One connection: the greeting, then one answer per message sent. */
async function session(url: string): Promise<{ greeting: unknown; ask(message: string | object): Promise<any>; close(): void }> {
  const socket = new WebSocket(url);
  const queue: string[] = [];
  const waiting: ((text: string) => void)[] = [];
  socket.on('message', (data) => {
    const text = data.toString();
    const next = waiting.shift();
    if (next) next(text);
    else queue.push(text);
  });
  const nextText = () => new Promise<string>((resolve) => (queue.length ? resolve(queue.shift()!) : waiting.push(resolve)));
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  const greeting = JSON.parse(await nextText());
  return {
    greeting,
    ask: async (message) => {
      socket.send(typeof message === 'string' ? message : JSON.stringify(message));
      const text = await nextText();
      return text === '--heartbeat--' ? text : JSON.parse(text);
    },
    close: () => socket.close(),
  };
}

const signRequest = (data: unknown, signingParams: object = { decode: true, encapsulate: true, digested: false }, format = 'cms') => ({
  module: 'kz.gov.pki.knca.basics',
  method: 'sign',
  args: { allowedStorages: null, format, data, signingParams, signerParams: { extKeyUsageOids: [], chain: [] }, locale: 'ru' },
});

describe('the NCALayer simulator', () => {
  let ca: CertificationAuthority;
  let simulator: NcaLayerSimulator;
  const document = new Uint8Array(Buffer.from('%PDF-1.7 the draft'));

  beforeAll(async () => {
    ca = await CertificationAuthority.create();
    ca.baseUrl = 'http://127.0.0.1:9';
    const issued = await ca.issue({ subject: { commonName: 'Head', iin: '800101300016' } });
    simulator = await NcaLayerSimulator.start({ keys: [{ alias: 'head', credentials: { privateKey: issued.privateKey, certificate: issued.certificate } }] });
  });
  afterAll(async () => simulator?.close());

  it('greets with its version and echoes the heartbeat', async () => {
    const s = await session(simulator.url);
    expect(s.greeting).toEqual({ result: { version: '1.4' } });
    expect(await s.ask('--heartbeat--')).toBe('--heartbeat--');
    s.close();
  });

  it('signs the decoded bytes with the chosen key, attached by default and detached when asked', async () => {
    simulator.choose({ key: 'head' });
    const s = await session(simulator.url);
    const attached = await s.ask(signRequest(Buffer.from(document).toString('base64')));
    expect(attached).toEqual({ status: true, body: { result: [expect.any(String)] } });
    const parsed = parseCms(new Uint8Array(Buffer.from(attached.body.result[0], 'base64')));
    expect(Buffer.from(parsed.content).equals(Buffer.from(document))).toBe(true);
    expect(parsed.signerCertificate).toBeDefined();

    const detached = await s.ask(signRequest(Buffer.from(document).toString('base64'), { decode: true, encapsulate: false, digested: false }));
    expect(() => parseCms(new Uint8Array(Buffer.from(detached.body.result[0], 'base64')))).toThrow(/no attached content/);
    s.close();
  });

  it('answers a cancelled dialog with an empty body', async () => {
    simulator.choose('cancel');
    const s = await session(simulator.url);
    expect(await s.ask(signRequest(Buffer.from(document).toString('base64')))).toEqual({ status: true, body: {} });
    s.close();
  });

  it.each([
    ['not JSON', 'sign this'],
    ['another module', { module: 'kz.gov.pki.knca.commonUtils', method: 'getActiveTokens' }],
    ['another method', { module: 'kz.gov.pki.knca.basics', method: 'authenticate', args: {} }],
    ['XML', signRequest('PGEvPg==', undefined, 'xml')],
    ['a digest', signRequest('AAAA', { decode: true, encapsulate: true, digested: true })],
    ['no data', signRequest('')],
    ['data that is not base64', signRequest('not base64!')],
  ])('refuses %s with status false, a code and a message', async (_name, message) => {
    simulator.choose({ key: 'head' });
    const s = await session(simulator.url);
    const answer = await s.ask(message);
    expect(answer).toEqual({ status: false, code: expect.any(String), message: expect.any(String), details: expect.any(String) });
    s.close();
  });

  it('refuses to choose a key it does not hold', () => {
    expect(() => simulator.choose({ key: 'nobody' })).toThrow(/holds no key "nobody"/);
  });
});
