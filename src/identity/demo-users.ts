import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { makeIin } from '../iin-bin';
import { sha256Hex } from './users';

/*
 * The default run's demo users: one per candidate group of the deployed diagrams plus an admin, each
 * named for the role it plays, so that someone trying the web app knows whom to sign in as next.
 */

/** Each known group's demo user: an id that says the role, and the role's Kazakh name with the group beside it. */
const ROLES: Record<string, { id: string; name: string }> = {
  office: { id: 'office-clerk', name: 'Кеңсе қызметкері (office)' },
  head: { id: 'head', name: 'Басшы (head)' },
  'deputy-head': { id: 'deputy-head', name: 'Басшының орынбасары (deputy-head)' },
  'department-head': { id: 'department-head', name: 'Бөлім басшысы (department-head)' },
  specialist: { id: 'specialist', name: 'Маман (specialist)' },
  'other-bodies': { id: 'other-bodies', name: 'Басқа мемлекеттік орган (other-bodies)' },
  commission: { id: 'commission', name: 'Комиссия (commission)' },
  'inspector-medicine': { id: 'inspector-medicine', name: 'Медицина инспекторы (inspector-medicine)' },
  'inspector-personnel': { id: 'inspector-personnel', name: 'Персонал инспекторы (inspector-personnel)' },
  'inspector-training-center': { id: 'inspector-training-center', name: 'Оқу орталығының инспекторы (inspector-training-center)' },
  'provider-courier': { id: 'provider-courier', name: 'Курьер (provider-courier)' },
  'state-corporation': { id: 'state-corporation', name: 'Мемлекеттік корпорация қызметкері (state-corporation)' },
  'state-corporation-accumulation': { id: 'state-corporation-accumulation', name: 'Мемлекеттік корпорацияның жинақтау секторы (state-corporation-accumulation)' },
  'state-corporation-issuing': { id: 'state-corporation-issuing', name: 'Мемлекеттік корпорацияның нәтиже беру секторы (state-corporation-issuing)' },
  admin: { id: 'admin', name: 'Әкімші (admin)' },
};

/**
 * The user tasks an application for a cotton warehouse licence passes through when it is handed in at
 * the office and the licence is issued (processes/cotton-warehouse-license.bpmn): the demo users are
 * listed in the order their groups first appear here, and the route is printed as who comes next.
 */
export const COTTON_LICENCE_KEY = 'cotton-warehouse-license';
export const COTTON_LICENCE_ROUTE = ['register-application', 'head-resolution', 'assign-specialist', 'initial-check', 'qualification-check', 'agency-conclusion', 'sign-decision', 'formalise-licence', 'deliver-paper-licence'];

export interface DemoUser {
  id: string;
  name: string;
  groups: string[];
  /** A test IIN of the role's person: the demo head signs with a certificate of it (the NCALayer simulator holds the key). */
  iin: string;
  token: string;
}

/** The demo users' IINs: fixed, so that a certificate issued for one in an earlier run still names the same person. */
export function demoIinOf(index: number): string {
  return makeIin(new Date(Date.UTC(1980, 0, 1 + index)), index % 2 === 0 ? 'male' : 'female', 100 + index);
}

export interface RouteStep {
  taskId: string;
  taskName: string;
  group: string;
}

export function demoUserOf(group: string): { id: string; name: string } {
  return ROLES[group] ?? { id: group, name: group };
}

/** The groups in the order of the route (first appearance), then the others by name, then admin. */
export function demoOrder(groups: readonly string[], route: readonly RouteStep[]): string[] {
  const rest = new Set(groups.filter((g) => g !== 'admin'));
  const ordered: string[] = [];
  for (const step of route) if (rest.delete(step.group)) ordered.push(step.group);
  return [...ordered, ...[...rest].sort(), 'admin'];
}

/**
 * Writes one user per group (and an admin) in the order of the route; the tokens are returned once to
 * be printed, the file keeps only their hashes.
 */
export function writeDemoUsers(file: string, groups: readonly string[], route: readonly RouteStep[] = []): DemoUser[] {
  const users: DemoUser[] = demoOrder(groups, route).map((group, index) => ({ ...demoUserOf(group), groups: [group], iin: demoIinOf(index), token: randomBytes(18).toString('base64url') }));
  const records = users.map((u) => ({ id: u.id, name: u.name, groups: u.groups, iin: u.iin, tokenSha256: sha256Hex(u.token) }));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(records, null, 2) + '\n', { mode: 0o600 });
  return users;
}

/** The route as one line: each step's demo user and the step, in order, so the next role is always the one after the arrow. */
export function routeLine(route: readonly RouteStep[]): string {
  return route.map((s) => `${demoUserOf(s.group).id} (${s.taskName})`).join(' → ');
}
