/**
 * The REST API under /api, called with the browser's session cookie (HttpOnly: no script of the page
 * can read it, and the token it was traded for is not kept). Requests that change something carry the
 * session's CSRF token, which the server hands out at sign-in and with GET /api/me.
 */
import type { FormField, HistoryEntry, Me, ProcessDefinition, ProcessDefinitionDetail, ProcessInstance, Task, TaskDetail } from '../api/schemas/resources';

/*
 * The shapes of the answers are the server's own (src/api/schemas/resources.ts, from which the
 * OpenAPI document is generated): imported as types, so nothing of zod reaches the bundle.
 */
export type { FormField, HistoryEntry, Me, Task, TaskDetail };
export type Definition = ProcessDefinition & Partial<Pick<ProcessDefinitionDetail, 'startFormFields' | 'startFormSchema'>>;
export type Instance = ProcessInstance;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: { fields?: { field: string; message: string }[]; [k: string]: unknown },
  ) {
    super(message);
  }
}

let signedIn: Me | null = null;
let csrfToken: string | null = null;

/** Who is signed in, known to this page only (each tab asks the server once, with the cookie). */
export const session = {
  get user(): Me | null {
    return signedIn;
  },
  isHead(): boolean {
    const groups = signedIn?.groups ?? [];
    return groups.includes('head') || groups.includes('admin');
  },
  isAdmin(): boolean {
    return signedIn?.groups.includes('admin') ?? false;
  },
  /** Asks the server whether the browser's cookie names a session (a new tab, a reload). */
  async restore(): Promise<Me | null> {
    const response = await fetch('/api/me', { headers: { accept: 'application/json' } });
    if (response.status === 401) return remember(null);
    if (!response.ok) throw new ApiError(response.status, 'SERVER', `The server answered ${response.status}`);
    return remember((await response.json()) as Me);
  },
  /** Trades the token for a session cookie; null when the server does not know the token. */
  async signIn(token: string): Promise<Me | null> {
    const response = await fetch('/api/sign-in', { method: 'POST', headers: { accept: 'application/json', 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
    if (response.status === 401) return remember(null);
    if (!response.ok) {
      const error = ((await response.json().catch(() => ({}))) as { error?: { code: string; message: string } }).error;
      throw new ApiError(response.status, error?.code ?? 'HTTP_' + response.status, error?.message ?? `The server answered ${response.status}`);
    }
    return remember((await response.json()) as Me);
  },
  /** Ends the session on the server (the cookie stops working in every tab); forgets the user here whatever the answer. */
  async signOut(): Promise<void> {
    try {
      if (signedIn) await fetch('/api/sign-out', { method: 'POST', headers: { accept: 'application/json', 'x-csrf-token': csrfToken ?? '' } });
    } finally {
      remember(null);
    }
  },
  /** Forgets the user here only (the server said the session has ended). */
  forget(): void {
    remember(null);
  },
};

function remember(me: Me | null): Me | null {
  csrfToken = me?.csrfToken ?? null;
  signedIn = me ? { id: me.id, name: me.name, groups: me.groups } : null;
  return signedIn;
}

/** Set by main.ts: what to do when the server says the session is no longer valid. */
export let onUnauthorized: () => void = () => undefined;
export function setUnauthorizedHandler(handler: () => void) {
  onUnauthorized = handler;
}

export async function api<T = unknown>(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<T> {
  const headers: Record<string, string> = { ...init.headers, accept: 'application/json' };
  const method = init.method ?? 'GET';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let body: string | undefined;
  if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['content-type'] = 'application/json';
  }
  const response = await fetch(`/api${path}`, { method, headers, body });
  const text = await response.text();
  const contentType = response.headers.get('content-type') ?? '';
  const parsed = contentType.includes('json') && text ? JSON.parse(text) : text;
  if (!response.ok) {
    const error = (parsed as { error?: { code: string; message: string; details?: ApiError['details'] } })?.error;
    if (response.status === 401) onUnauthorized();
    throw new ApiError(response.status, error?.code ?? 'HTTP_' + response.status, error?.message ?? `The server answered ${response.status}`, error?.details);
  }
  return parsed as T;
}

/**
 * Sends one file as multipart/form-data (part "file") with the session's CSRF token. XMLHttpRequest,
 * not fetch: it reports the upload's progress, which a scan of several megabytes needs.
 */
export function uploadFile<T = unknown>(path: string, file: File, onProgress?: (percent: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', `/api${path}`);
    request.setRequestHeader('accept', 'application/json');
    if (csrfToken) request.setRequestHeader('x-csrf-token', csrfToken);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress?.(Math.floor((event.loaded / event.total) * 100));
    };
    request.onerror = () => reject(new ApiError(0, 'NETWORK', 'The upload did not reach the server'));
    request.onload = () => {
      let parsed: unknown = request.responseText;
      try {
        parsed = request.responseText ? JSON.parse(request.responseText) : undefined;
      } catch {
        // not JSON: keep the text
      }
      if (request.status >= 200 && request.status < 300) return resolve(parsed as T);
      if (request.status === 401) onUnauthorized();
      const error = (parsed as { error?: { code: string; message: string; details?: ApiError['details'] } } | undefined)?.error;
      reject(new ApiError(request.status, error?.code ?? 'HTTP_' + request.status, error?.message ?? `The server answered ${request.status}`, error?.details));
    };
    const form = new FormData();
    form.append('file', file, file.name);
    request.send(form);
  });
}

/** Ids of an instance's active activities (the API lists { id, name, type }). */
export function activeIds(instance: Instance): string[] {
  return instance.activeActivities.map((a) => (typeof a === 'string' ? a : a.id));
}
