/** The REST API under /api, called with the signed-in user's token (kept for the browser session only). */
import type { FormField, HistoryEntry, Me, ProcessDefinition, ProcessDefinitionDetail, ProcessInstance, Task, TaskDetail } from '../api/schemas/resources';

/*
 * The shapes of the answers are the server's own (src/api/schemas/resources.ts, from which the
 * OpenAPI document is generated): imported as types, so nothing of zod reaches the bundle.
 */
export type { FormField, HistoryEntry, Me, Task, TaskDetail };
export type Definition = ProcessDefinition & Partial<Pick<ProcessDefinitionDetail, 'startFormFields' | 'startFormSchema'>>;
export type Instance = ProcessInstance;

const TOKEN_KEY = 'reglament.token';
const USER_KEY = 'reglament.user';

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

export const session = {
  get token(): string | null {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  get user(): Me | null {
    const raw = sessionStorage.getItem(USER_KEY);
    return raw ? (JSON.parse(raw) as Me) : null;
  },
  set(token: string, user: Me) {
    sessionStorage.setItem(TOKEN_KEY, token);
    sessionStorage.setItem(USER_KEY, JSON.stringify(user));
  },
  clear() {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(USER_KEY);
  },
  isHead(): boolean {
    const groups = session.user?.groups ?? [];
    return groups.includes('head') || groups.includes('admin');
  },
};

/** Set by main.ts: what to do when the server says the token is no longer valid. */
export let onUnauthorized: () => void = () => undefined;
export function setUnauthorizedHandler(handler: () => void) {
  onUnauthorized = handler;
}

/** Who a token belongs to (GET /api/me); null when the server does not know it. */
export async function whoIs(token: string): Promise<Me | null> {
  const response = await fetch('/api/me', { headers: { authorization: `Bearer ${token}` } });
  if (response.status === 401) return null;
  if (!response.ok) throw new ApiError(response.status, 'SERVER', `The server answered ${response.status}`);
  return (await response.json()) as Me;
}

export async function api<T = unknown>(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<T> {
  const headers: Record<string, string> = { ...init.headers, accept: 'application/json' };
  if (session.token) headers.authorization = `Bearer ${session.token}`;
  let body: string | undefined;
  if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['content-type'] = 'application/json';
  }
  const response = await fetch(`/api${path}`, { method: init.method ?? 'GET', headers, body });
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

/** Ids of an instance's active activities (the API lists { id, name, type }). */
export function activeIds(instance: Instance): string[] {
  return instance.activeActivities.map((a) => (typeof a === 'string' ? a : a.id));
}
