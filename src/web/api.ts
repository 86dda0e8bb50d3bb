/** The REST API under /api, called with the signed-in user's token (kept for the browser session only). */

const TOKEN_KEY = 'reglament.token';
const USER_KEY = 'reglament.user';

export interface Me {
  id: string;
  name: string;
  groups: string[];
}

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

export interface Task {
  id: string;
  name: string | null;
  taskDefinitionKey: string;
  processInstanceId: string;
  processDefinitionKey: string;
  processDefinitionId: string;
  businessKey: string | null;
  candidateGroups: string[];
  assignee: string | null;
  created: string;
  due: string | null;
  overdue: boolean;
  timeLimit: string | null;
  state: string;
}

export interface FormField {
  id: string;
  label?: string;
  type: 'string' | 'long' | 'boolean' | 'date' | 'enum';
  required: boolean;
  pattern?: string;
  minlength?: number;
  maxlength?: number;
  min?: number;
  max?: number;
  values?: { id: string; name?: string }[];
  defaultValue?: string;
}

export interface TaskDetail extends Task {
  documentation?: string;
  variables: Record<string, unknown>;
  formFields: FormField[];
}

export interface Definition {
  id: string;
  key: string;
  version: number;
  name: string | null;
  resourceName: string;
  deployedAt: string;
  /** Whether the signed-in user may start it (the diagram's candidate starters; never a flow only call activities start). */
  startable: boolean;
  /** When not startable: the refusal a start would get. */
  startRefusal?: { code: string; message: string };
}

export interface Instance {
  id: string;
  processDefinitionKey: string;
  processDefinitionId: string;
  version: number;
  businessKey: string | null;
  state: string;
  variables: Record<string, unknown>;
  activeActivities: ({ id: string; name?: string; type?: string } | string)[];
  startedAt: string;
  endedAt: string | null;
  outcome?: string;
  deadline: string | null;
  overdue: boolean;
  incidents?: { id: string; activityId: string; message: string; handler: string; attempts: number }[];
}

export interface HistoryEntry {
  at: string;
  type: string;
  activityId?: string;
  activityName?: string;
  user?: string;
  data?: Record<string, unknown>;
}

/** Ids of an instance's active activities (the API lists { id, name, type }). */
export function activeIds(instance: Instance): string[] {
  return instance.activeActivities.map((a) => (typeof a === 'string' ? a : a.id));
}
