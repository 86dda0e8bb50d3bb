import { tokenOf } from '../support/test-host';
import type { ServerUnderTest } from './server-under-test';

/** A request the kill cut off: the caller decides whether to repeat it. */
export class Cut extends Error {}

export interface Answer {
  status: number;
  body: any;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** HTTP to the server under test, with kills in mind. */
export interface FaultClient {
  /** One attempt; a connection the kill cut off is a Cut. */
  once(user: string, method: string, route: string, body?: unknown, extraHeaders?: Record<string, string>): Promise<Answer>;
  /** Repeated until a server answers (reads change nothing). */
  read(user: string, route: string): Promise<Answer>;
  /** The bytes of a GET (a document), repeated until a server answers. */
  bytes(user: string, route: string): Promise<{ status: number; bytes: Uint8Array }>;
}

export function faultClient(server: ServerUnderTest): FaultClient {
  async function once(user: string, method: string, route: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<Answer> {
    const url = await server.current();
    const headers: Record<string, string> = { ...extraHeaders, authorization: `Bearer ${tokenOf(user)}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${url}/api${route}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(60_000) });
      text = await response.text();
    } catch (error) {
      throw new Cut(`${method} ${route}: ${error instanceof Error ? error.message : String(error)}`);
    }
    let parsed: unknown = text || undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: a diagram's XML
    }
    return { status: response.status, body: parsed };
  }
  async function read(user: string, route: string): Promise<Answer> {
    for (;;) {
      try {
        return await once(user, 'GET', route);
      } catch (error) {
        if (!(error instanceof Cut)) throw error;
        await sleep(20);
      }
    }
  }
  async function bytes(user: string, route: string): Promise<{ status: number; bytes: Uint8Array }> {
    for (;;) {
      try {
        const response = await fetch(`${await server.current()}/api${route}`, { headers: { authorization: `Bearer ${tokenOf(user)}` }, signal: AbortSignal.timeout(60_000) });
        return { status: response.status, bytes: new Uint8Array(await response.arrayBuffer()) };
      } catch {
        await sleep(20);
      }
    }
  }
  return { once, read, bytes };
}
