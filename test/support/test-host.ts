import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { createHost, Host, HostOptions } from '../../src/host';
import { sha256Hex, UserDirectory } from '../../src/identity/users';

/** Users every test host knows: one per lane group of the catalog, an admin, and a stranger. */
export const TEST_USERS = [
  { id: 'admin', groups: ['admin'] },
  { id: 'olga-office', groups: ['office'] },
  { id: 'hasan-head', groups: ['head'] },
  { id: 'dana-department-head', groups: ['department-head'] },
  { id: 'sanzhar-specialist', groups: ['specialist'] },
  { id: 'bota-other-bodies', groups: ['other-bodies'] },
  { id: 'second-specialist', groups: ['specialist'] },
  { id: 'nobody', groups: ['visitors'] },
] as const;

export type TestUserId = (typeof TEST_USERS)[number]['id'];

export const tokenOf = (id: string) => `token-of-${id}`;

export function writeUsersFile(dir: string): string {
  const file = path.join(dir, 'users.json');
  fs.writeFileSync(file, JSON.stringify(TEST_USERS.map((u) => ({ id: u.id, name: u.id, groups: u.groups, tokenSha256: sha256Hex(tokenOf(u.id)) }))));
  return file;
}

export function tempDir(prefix = 'reglament-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface TestHost {
  host: Host;
  url: string;
  dir: string;
  dbFile: string;
  call(user: TestUserId | null, method: string, route: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/** A real host on a temporary sqlite file, serving HTTP on a free port. */
export async function startTestHost(options: { processesDir?: string; dir?: string } & Partial<Omit<HostOptions, 'config' | 'users'>> = {}): Promise<TestHost> {
  const dir = options.dir ?? tempDir();
  const usersFile = writeUsersFile(dir);
  const config = loadConfig({
    DATA_DIR: dir,
    DB_FILE: path.join(dir, 'test.sqlite'),
    PROCESSES_DIR: options.processesDir ?? path.resolve(__dirname, '../../processes'),
    USERS_FILE: usersFile,
    PORT: '0',
  });
  const host = await createHost({ ...options, config, users: UserDirectory.fromFile(usersFile) });
  await host.deployProcessDirectory();
  const { url } = await host.listen(0, '127.0.0.1');
  return {
    host,
    url,
    dir,
    dbFile: config.database,
    call: (user, method, route, body, headers) => callApi(url, user, method, route, body, headers),
    close: () => host.close(),
  };
}

export async function callApi(url: string, user: string | null, method: string, route: string, body?: unknown, headers: Record<string, string> = {}) {
  const init: RequestInit = { method, headers: { ...headers } };
  if (user) (init.headers as Record<string, string>).authorization = `Bearer ${tokenOf(user)}`;
  if (body !== undefined) {
    if (typeof body === 'string') init.body = body;
    else {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
  }
  const response = await fetch(`${url}/api${route}`, init);
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON (e.g. BPMN XML): keep the text
  }
  return { status: response.status, body: parsed as any };
}
