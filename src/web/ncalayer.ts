/**
 * Our client of NCALayer, the NCA of Kazakhstan's signer that runs on the signer's computer and
 * listens on a local WebSocket (wss://127.0.0.1:13579/ by default; NCALAYER_URL names another, e.g.
 * the simulator in tests). NCALayer greets a connection with {"result":{"version":...}}, echoes the
 * keep-alive text "--heartbeat--", and answers a kz.gov.pki.knca.basics request with
 * {"status":true,"body":{"result":[...]}} when signed, {"status":true,"body":{}} when the person
 * closed its dialog, and {"status":false,"code","message"} when it refuses. The shapes follow the
 * public JavaScript clients of NCALayer; this code is our own.
 */

export type NcaLayerOutcome = { kind: 'signed'; cms: string } | { kind: 'cancelled' } | { kind: 'refused'; message: string } | { kind: 'unreachable' };

/** Bytes as base64, in chunks (a PDF of some hundred kilobytes is too long for one String.fromCharCode call). */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** The CMS of the first result, whichever form the result takes (an array, or one string in older versions). */
function resultOf(body: unknown): string | undefined {
  const result = (body as { result?: unknown } | undefined)?.result;
  const first = Array.isArray(result) ? result[0] : result;
  return typeof first === 'string' && first !== '' ? first.replace(/-----[^-]+-----|\s+/g, '') : undefined;
}

/**
 * Asks NCALayer to sign `data` (the document's exact bytes) as CMS with the data attached, with a
 * signing key of the person's choice; one connection per signature.
 */
export function signWithNcaLayer(url: string, data: Uint8Array, locale: string): Promise<NcaLayerOutcome> {
  return new Promise((resolve) => {
    let socket: WebSocket;
    let settled = false;
    let greeted = false;
    const finish = (outcome: NcaLayerOutcome) => {
      if (settled) return;
      settled = true;
      try {
        socket.close();
      } catch {
        // already closed
      }
      resolve(outcome);
    };
    try {
      socket = new WebSocket(url);
    } catch {
      resolve({ kind: 'unreachable' });
      return;
    }
    socket.onerror = () => finish({ kind: 'unreachable' });
    socket.onclose = () => finish(greeted ? { kind: 'refused', message: 'NCALayer closed the connection' } : { kind: 'unreachable' });
    socket.onmessage = (event) => {
      const text = String(event.data);
      if (text === '--heartbeat--') return;
      let message: { result?: { version?: unknown }; status?: unknown; body?: unknown; code?: unknown; message?: unknown };
      try {
        message = JSON.parse(text);
      } catch {
        finish({ kind: 'refused', message: text.slice(0, 200) });
        return;
      }
      if (!greeted) {
        greeted = true;
        if (message.result?.version === undefined) {
          finish({ kind: 'refused', message: 'NCALayer did not greet with its version' });
          return;
        }
        socket.send(
          JSON.stringify({
            module: 'kz.gov.pki.knca.basics',
            method: 'sign',
            args: {
              allowedStorages: null,
              format: 'cms',
              data: toBase64(data),
              signingParams: { decode: true, encapsulate: true, digested: false },
              signerParams: { extKeyUsageOids: [], chain: [] },
              locale,
            },
          }),
        );
        return;
      }
      if (message.status !== true) {
        finish({ kind: 'refused', message: [message.code, message.message].filter((x) => typeof x === 'string' && x !== '').join(': ') || 'unknown error' });
        return;
      }
      const cms = resultOf(message.body);
      finish(cms ? { kind: 'signed', cms } : { kind: 'cancelled' });
    };
  });
}
