import { randomUUID } from 'node:crypto';

/**
 * The HTTP client every adapter uses: a base URL, a timeout per call, retries with exponential
 * backoff for idempotent calls, and ExternalSystemUnavailableError when the system stays down
 * (connection refused, timeout, 5xx). A 4xx answer is the system's answer and goes back to the
 * adapter, which decides what it means.
 */
export class ExternalSystemUnavailableError extends Error {
  readonly code = 'EXTERNAL_SYSTEM_UNAVAILABLE';
  constructor(
    readonly system: string,
    readonly url: string,
    readonly reason: string,
    readonly attempts: number,
  ) {
    super(`${system} is unavailable at ${url} after ${attempts} attempt(s): ${reason}`);
    this.name = 'ExternalSystemUnavailableError';
  }
}

/** The system answered with something the adapter does not understand (a protocol error). */
export class ExternalSystemProtocolError extends Error {
  constructor(
    readonly system: string,
    readonly url: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`${system} answered ${status} at ${url}: ${typeof body === 'string' ? body : JSON.stringify(body)}`);
    this.name = 'ExternalSystemProtocolError';
  }
}

export interface HttpClientOptions {
  /** Name of the external system (shown in errors and incidents). */
  system: string;
  baseUrl: string;
  /** Per-attempt timeout in milliseconds. Default 5000. */
  timeoutMs?: number;
  /** Attempts for idempotent calls (1 = no retry). Default 3. */
  attempts?: number;
  /** First backoff delay in milliseconds, doubled after each failed attempt. Default 200. */
  backoffMs?: number;
}

export interface HttpResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | undefined>;
  /** Idempotent calls (GET, PUT with a key) are retried; others get one attempt. Default: GET/PUT/DELETE. */
  idempotent?: boolean;
  /** Raw bytes instead of JSON. */
  raw?: boolean;
  headers?: Record<string, string>;
  /** A text body sent as it is (content-type from `headers`), e.g. a SOAP envelope. */
  text?: string;
  /** The id sent as X-Message-Id (default: a new UUID), e.g. the SOAP message's own messageId. */
  messageId?: string;
  /** The operation of the system (a ShEP service id), reported with the call. */
  service?: string;
  /** A 5xx that is the system's answer, not its absence (a SOAP fault comes with HTTP 500). */
  isAnswer?: (status: number, contentType: string) => boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One call to an external system as its caller saw it (all attempts): for the host's metrics and logs. */
export interface ExternalCall {
  system: string;
  method: string;
  /** The operation asked of the system, when it has several behind one address (a ShEP service id). */
  service?: string;
  /** Sent as X-Message-Id with every attempt, so the system's own log can be matched with ours. */
  messageId: string;
  /** The answer's status; absent when the system stayed unavailable. */
  status?: number;
  /** Unavailable (connection refused, timeout, 5xx after the retries). */
  failed: boolean;
  attempts: number;
  durationMs: number;
}

export type ExternalCallObserver = (call: ExternalCall) => void;

const observers = new Set<ExternalCallObserver>();

/**
 * Tells `observer` of every external call made in this process (clients are made in many places:
 * the adapters, the CA client, the CRL fetcher; one port for all of them). Returns the unsubscribe.
 */
export function observeExternalCalls(observer: ExternalCallObserver): () => void {
  observers.add(observer);
  return () => observers.delete(observer);
}

function report(call: ExternalCall): void {
  for (const observer of observers) {
    try {
      observer(call);
    } catch {
      // Telemetry never fails a call.
    }
  }
}

export class HttpClient {
  readonly system: string;
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly attempts: number;
  readonly backoffMs: number;

  constructor(options: HttpClientOptions) {
    this.system = options.system;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.attempts = Math.max(1, options.attempts ?? 3);
    this.backoffMs = options.backoffMs ?? 200;
  }

  url(path: string, query?: Record<string, string | undefined>): string {
    const url = new URL(/^https?:\/\//.test(path) ? path : `${this.baseUrl}${path.startsWith('/') ? '' : '/'}${path}`);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    return url.toString();
  }

  get<T = any>(path: string, options: RequestOptions = {}) {
    return this.request<T>('GET', path, options);
  }
  put<T = any>(path: string, body: unknown, options: RequestOptions = {}) {
    return this.request<T>('PUT', path, { ...options, body });
  }
  post<T = any>(path: string, body: unknown, options: RequestOptions = {}) {
    return this.request<T>('POST', path, { ...options, body });
  }

  async request<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<HttpResponse<T>> {
    const url = this.url(path, options.query);
    const idempotent = options.idempotent ?? ['GET', 'HEAD', 'PUT', 'DELETE'].includes(method);
    const attempts = idempotent ? this.attempts : 1;
    const messageId = options.messageId ?? randomUUID();
    const startedAt = performance.now();
    const done = (attempt: number, status: number | undefined, failed = false) => report({ system: this.system, method, ...(options.service ? { service: options.service } : {}), messageId, status, failed, attempts: attempt, durationMs: performance.now() - startedAt });
    let lastStatus: number | undefined;
    let reason = 'no attempt made';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) await sleep(this.backoffMs * 2 ** (attempt - 2));
      try {
        const headers: Record<string, string> = { accept: options.raw ? '*/*' : 'application/json', 'x-message-id': messageId, ...options.headers };
        let body: string | undefined;
        if (options.text !== undefined) body = options.text;
        else if (options.body !== undefined) {
          body = JSON.stringify(options.body);
          headers['content-type'] = 'application/json';
        }
        const response = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(this.timeoutMs) });
        if (response.status >= 500 && !options.isAnswer?.(response.status, response.headers.get('content-type') ?? '')) {
          lastStatus = response.status;
          reason = `HTTP ${response.status} ${(await response.text()).slice(0, 200)}`.trim();
          continue;
        }
        if (options.raw) {
          const bytes = new Uint8Array(await response.arrayBuffer());
          done(attempt, response.status);
          return { status: response.status, body: bytes as T, headers: response.headers };
        }
        const text = await response.text();
        let parsed: unknown = text;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          // keep the text
        }
        done(attempt, response.status);
        return { status: response.status, body: parsed as T, headers: response.headers };
      } catch (error) {
        lastStatus = undefined;
        reason = describeFetchError(error, this.timeoutMs);
      }
    }
    done(attempts, lastStatus, true);
    throw new ExternalSystemUnavailableError(this.system, url, reason, attempts);
  }
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `timed out after ${timeoutMs} ms`;
  if (e?.cause?.code) return `${e.cause.code}${e.cause.message ? ` (${e.cause.message})` : ''}`;
  return e?.message ?? String(error);
}
