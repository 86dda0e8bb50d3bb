import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { makeIin } from '../../src/iin-bin';
import { createHost, Host, HostOptions } from '../../src/host';
import { sha256Hex, UserDirectory } from '../../src/identity/users';
import { Adapters } from '../../src/integrations/clients';
import { createDefaultHandlers } from '../../src/handlers';
import { startSimulators, Simulators } from '../../src/integrations/simulators';
import { recordBpmnCoverage } from './bpmn-coverage';
import { simulatorAdapters, SimulatorControl } from './simulators';

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
  // Deploys through Camunda Modeler (/engine-rest), as the README invites; no other right.
  { id: 'dora-deployer', groups: ['deployer'] },
  { id: 'wanda-worker', groups: ['worker'] },
] as const;

export type TestUserId = (typeof TEST_USERS)[number]['id'];

export const tokenOf = (id: string) => `token-of-${id}`;

/** The user in exactly one group that every test host knows for each candidate group of processes/. */
export const userOf = (group: string) => (group === 'admin' ? 'admin' : `${group}-user`);
/** A second user of the same group (to show that a claimed task is not someone else's). */
export const otherUserOf = (group: string) => `${group}-user-2`;

/** Every lane group and candidate group named in the diagrams of a folder (read from the XML text). */
export function groupsOfDiagrams(dir: string): string[] {
  const groups = new Set<string>();
  if (!fs.existsSync(dir)) return [];
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.bpmn'))) {
    const xml = fs.readFileSync(path.join(dir, file), 'utf8');
    for (const m of xml.matchAll(/camunda:candidateGroups="([^"]*)"/g)) m[1].split(',').forEach((g) => g.trim() && groups.add(g.trim()));
    for (const m of xml.matchAll(/<camunda:property name="group" value="([^"]*)"/g)) groups.add(m[1]);
  }
  return [...groups].sort();
}

export function writeUsersFile(dir: string, groups: string[] = groupsOfDiagrams(DEFAULT_PROCESSES_DIR)): string {
  const file = path.join(dir, 'users.json');
  const users: { id: string; groups: readonly string[] }[] = [...TEST_USERS, { id: UNREGISTERED_EMPLOYEE, groups: ['office'] }];
  for (const group of groups) {
    for (const id of [userOf(group), otherUserOf(group)]) if (!users.some((u) => u.id === id)) users.push({ id, groups: [group] });
  }
  fs.writeFileSync(file, JSON.stringify(users.map((u) => ({ id: u.id, name: u.id, groups: u.groups, iin: iinOfTestUser(u.id), tokenSha256: sha256Hex(tokenOf(u.id)) }))));
  return file;
}

/** Each test user's IIN, from the id alone (a certificate issued for it in a test names that user and no other). */
export function iinOfTestUser(id: string): string {
  const hash = createHash('sha256').update(id).digest();
  return makeIin(new Date(Date.UTC(1950, 0, 1) + (hash.readUInt32BE(0) % 20000) * 86_400_000), hash[4] % 2 === 0 ? 'male' : 'female', hash.readUInt16BE(5) % 9000);
}

const DEFAULT_PROCESSES_DIR = path.resolve(__dirname, '../../processes');

export function tempDir(prefix = 'reglament-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface TestHost {
  host: Host;
  /** A user in exactly this group (see userOf). */
  userOf(group: string): string;
  otherUserOf(group: string): string;
  url: string;
  dir: string;
  dbFile: string;
  call(user: TestUserId | string | null, method: string, route: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  /** The external systems' simulators and their data (contract §4). */
  sim: SimulatorControl;
  simulators: Simulators;
  adapters: Adapters;
  /** A user id the E-licensing simulator does not know (EMPLOYEE_AUTHORIZATION_REFUSED). */
  unregisteredEmployee: string;
  close(): Promise<void>;
}

/** Every test user may log in to E-licensing except this one (also a host user, in group office). */
export const UNREGISTERED_EMPLOYEE = 'unregistered-employee';

/**
 * With TEST_DATABASE_URL=postgres://... every test host runs on PostgreSQL, in a schema of its own
 * named after its data folder (a host restarted on the same folder finds its data again).
 */
export function postgresFor(dir: string): Record<string, string> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return {};
  return { DATABASE_URL: url, DATABASE_SCHEMA: `t_${path.basename(dir).replace(/[^a-zA-Z0-9]/g, '_').toLowerCase()}` };
}

/** A real host on a temporary sqlite file (or PostgreSQL schema, see postgresFor), serving HTTP on a free port. */
export async function startTestHost(options: { processesDir?: string; dir?: string; env?: Record<string, string> } & Partial<Omit<HostOptions, 'config' | 'users'>> = {}): Promise<TestHost> {
  const dir = options.dir ?? tempDir();
  const processesDir = options.processesDir ?? DEFAULT_PROCESSES_DIR;
  const usersFile = writeUsersFile(dir, [...new Set([...groupsOfDiagrams(DEFAULT_PROCESSES_DIR), ...groupsOfDiagrams(processesDir)])]);
  const config = loadConfig({
    DATA_DIR: dir,
    DB_FILE: path.join(dir, 'test.sqlite'),
    PROCESSES_DIR: processesDir,
    USERS_FILE: usersFile,
    PORT: '0',
    // Tests that look at the log pass their own logger; the rest keep jest's output readable.
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    // A test that closes its host with a request still running is not held for the production 30 s.
    SHUTDOWN_TIMEOUT_MS: '2000',
    ...postgresFor(dir),
    ...options.env,
  });
  const employees = (JSON.parse(fs.readFileSync(usersFile, 'utf8')) as { id: string }[]).map((u) => u.id).filter((id) => id !== UNREGISTERED_EMPLOYEE);
  const simulators = await startSimulators({ host: '127.0.0.1', employees });
  const adapters = simulatorAdapters(simulators);
  const clock = options.clock;
  const sim = new SimulatorControl(simulators, adapters, () => (clock ? clock.now() : new Date()));
  let host: Host;
  try {
    host = await createHost({ timerPollMs: 0, handlers: createDefaultHandlers(adapters), signatures: adapters.eds, onStep: recordBpmnCoverage, ...options, config, users: UserDirectory.fromFile(usersFile) });
  } catch (error) {
    await simulators.close();
    throw error;
  }
  await host.deployProcessDirectory();
  const { url } = await host.listen(0, '127.0.0.1');
  return {
    sim,
    simulators,
    adapters,
    unregisteredEmployee: UNREGISTERED_EMPLOYEE,
    host,
    userOf,
    otherUserOf,
    url,
    dir,
    dbFile: config.database,
    call: (user, method, route, body, headers) => callApi(url, user, method, route, body, headers),
    close: async () => {
      await host.close();
      await simulators.close();
    },
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
