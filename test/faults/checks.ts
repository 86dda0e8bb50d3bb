import type { Simulators } from '../../src/integrations/simulators';
import type { Application } from './applications';
import type { FaultClient } from './client';
import type { Tally } from './tally';

/*
 * The checks at the end of a run, with the server up for good (docs/security.md, crash safety).
 * Each adds its failures to the tally and answers what the result reports.
 */

/** Every instance of the run, by id, with the root of each instance tree. */
export interface Instances {
  all: any[];
  byId: Map<string, any>;
  rootIdOf(instance: any): string;
  allTasks: any[];
}

export async function readInstances(api: FaultClient): Promise<Instances> {
  const all: any[] = [];
  for (let first = 0; ; first += 1000) {
    const page = (await api.read('admin', `/process-instances?firstResult=${first}&maxResults=1000`)).body;
    all.push(...page.items);
    if (all.length >= page.total || page.items.length === 0) break;
  }
  const byId = new Map(all.map((i) => [i.id, i]));
  const rootIdOf = (instance: any): string => (instance.parentInstanceId && byId.has(instance.parentInstanceId) ? rootIdOf(byId.get(instance.parentInstanceId)) : instance.id);
  const tasks = (await api.read('admin', `/tasks?state=all&maxResults=1000`)).body;
  const allTasks: any[] = [...tasks.items];
  for (let first = 1000; allTasks.length < tasks.total; first += 1000) allTasks.push(...(await api.read('admin', `/tasks?state=all&firstResult=${first}&maxResults=1000`)).body.items);
  return { all, byId, rootIdOf, allTasks };
}

/** Every application has exactly one root instance; every instance completed or waits on a task or a child; no incident is open. Answers the outcomes. */
export async function checkEndStates(api: FaultClient, applications: Application[], { all, allTasks }: Instances, tally: Tally): Promise<Record<string, number>> {
  const openTasks = allTasks.filter((t) => t.state === 'open');
  const outcomes: Record<string, number> = {};
  for (const app of applications) {
    const roots = all.filter((i) => i.businessKey === app.businessKey && !i.parentInstanceId);
    if (roots.length !== 1) tally.fail(`${app.businessKey}: ${roots.length} root instances`);
    const root = roots[0];
    if (!root) continue;
    const label = `${app.key} -> ${root.state === 'completed' ? root.outcome : root.state}`;
    outcomes[label] = (outcomes[label] ?? 0) + 1;
  }
  for (const instance of all) {
    if (instance.businessKey && !applications.some((a) => a.businessKey === instance.businessKey)) tally.fail(`instance ${instance.id} has an unknown business key ${instance.businessKey}`);
    const waitsOnTask = openTasks.some((t) => t.processInstanceId === instance.id);
    const waitsOnChild = all.some((c) => c.parentInstanceId === instance.id && c.state === 'running');
    if (instance.state !== 'completed' && !(instance.state === 'running' && (waitsOnTask || waitsOnChild))) tally.fail(`instance ${instance.id} (${instance.processDefinitionKey}) is ${instance.state} and waits on no task`);
  }
  const incidents = (await api.read('admin', '/incidents')).body as any[];
  for (const incident of incidents) tally.fail(`open incident ${incident.id} on ${incident.processInstanceId} at ${incident.activityId}: ${incident.message}`);
  return outcomes;
}

/** Each history has each step once, and the completions it records are the completed tasks. */
export async function checkHistories(api: FaultClient, { all, allTasks }: Instances, tally: Tally): Promise<void> {
  for (const instance of all) {
    const history = (await api.read('admin', `/process-instances/${instance.id}/history`)).body as any[];
    const once = (type: string, keyOf: (h: any) => string) => {
      const seen = new Map<string, number>();
      for (const h of history.filter((x) => x.type === type)) seen.set(keyOf(h), (seen.get(keyOf(h)) ?? 0) + 1);
      for (const [k, n] of seen) if (n > 1) tally.fail(`instance ${instance.id} (${instance.processDefinitionKey}): ${type} ${k} ${n} times`);
    };
    once('instance-started', () => 'start');
    once('instance-completed', () => 'end');
    once('task-created', (h) => h.data?.taskId);
    once('task-created', (h) => h.activityId);
    once('task-completed', (h) => h.data?.taskId);
    once('activity-end', (h) => h.activityId);
    once('service-completed', (h) => h.activityId);
    once('call-started', (h) => h.activityId);
    const completedTasks = allTasks.filter((t) => t.processInstanceId === instance.id && t.state === 'completed').map((t) => t.id).sort();
    const completedInHistory = history.filter((h) => h.type === 'task-completed').map((h) => h.data?.taskId).sort();
    if (JSON.stringify(completedTasks) !== JSON.stringify(completedInHistory)) tally.fail(`instance ${instance.id}: completed tasks ${completedTasks.length} vs history ${completedInHistory.length}`);
  }
}

/** Every completion answered 200 is stored whole; every deployment answered 2xx holds what it reported. */
export async function checkAcknowledged(api: FaultClient, { allTasks }: Instances, tally: Tally): Promise<void> {
  const historyOf = new Map<string, any[]>();
  for (const { taskId, instanceId, activityId, label } of tally.acknowledged) {
    if (!historyOf.has(instanceId)) historyOf.set(instanceId, (await api.read('admin', `/process-instances/${instanceId}/history`)).body as any[]);
    const history = historyOf.get(instanceId)!;
    const task = allTasks.find((t) => t.id === taskId);
    if (task?.state !== 'completed') tally.fail(`completion of ${label} (task ${taskId}) was answered 200, the task is ${task?.state ?? 'missing'}`);
    const recorded = history.filter((h) => h.type === 'task-completed' && h.data?.taskId === taskId).length;
    if (recorded !== 1) tally.fail(`completion of ${label} (task ${taskId}) was answered 200, the history records it ${recorded} times`);
    if (!history.some((h) => h.type === 'activity-end' && h.activityId === activityId)) tally.fail(`completion of ${label} (task ${taskId}) was answered 200, the engine never left the task (no successor stored)`);
  }
  for (const d of tally.deployments) {
    const stored = await api.read('admin', `/process-definitions/${d.key}/xml?version=${d.version}`);
    if (stored.status !== 200 || stored.body !== d.source) {
      if (d.created || stored.status !== 200) tally.fail(`deployment ${d.label} was answered with version ${d.version} of ${d.key}, which is ${stored.status === 200 ? 'other content' : `missing (${stored.status})`}`);
    }
  }
}

export interface SideEffectCounts {
  sideEffects: Record<string, number>;
  orphanSideEffects: Record<string, number>;
}

/**
 * The side effects the simulators saw, at most once per request: one E-licensing registration per
 * instance tree with the number, decision and licence the instance stored; one State corporation
 * registration per tree with its receipt; the result document in the recipient's cabinet is the
 * one the instance stored. A side effect that belongs to no instance is an orphan (a failure unless
 * `strictOrphans` is off).
 */
export function checkSideEffects(simulators: Simulators, applications: Application[], { byId, rootIdOf }: Instances, tally: Tally, strictOrphans: boolean): SideEffectCounts {
  const orphans: Record<string, number> = { elicenseRegistrations: 0, stateCorporationRegistrations: 0, cabinetNotifications: 0 };
  const perTree = (kind: string, instanceId: string, counts: Map<string, number>) => {
    const instance = byId.get(instanceId);
    if (!instance) {
      orphans[kind]++;
      return undefined;
    }
    const key = `${rootIdOf(instance)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    return instance;
  };
  const elicensePerTree = new Map<string, number>();
  let elicenseReplays = 0;
  for (const request of simulators.elicense.requests.values()) {
    elicenseReplays += request.registrationCalls - 1;
    const instance = perTree('elicenseRegistrations', request.requestId, elicensePerTree);
    if (!instance) continue;
    const root = byId.get(rootIdOf(instance));
    const vars = { ...root.variables, ...instance.variables };
    if (vars.elicenseRequestNumber !== request.requestNumber) tally.fail(`E-licensing request ${request.requestNumber} of ${instance.id}: the instance stored ${vars.elicenseRequestNumber}`);
    if (request.licenceNumber && root.variables.licenceNumber !== request.licenceNumber) tally.fail(`E-licensing licence ${request.licenceNumber} of ${root.id}: the instance stored ${root.variables.licenceNumber}`);
    if (request.decision && vars.decision && request.decision !== vars.decision && !(request.decision === 'refused' && vars.decision !== 'issued')) tally.fail(`E-licensing decision ${request.decision} of ${root.id}: the instance decided ${vars.decision}`);
  }
  for (const [root, n] of elicensePerTree) if (n > 1) tally.fail(`instance tree ${root}: ${n} E-licensing registrations`);
  // Applications whose applicant E-licensing now knows twice: a registration of a start the kill discarded, and the real one.
  const registeredIinBins = new Map<string, number>();
  for (const request of simulators.elicense.requests.values()) registeredIinBins.set(request.applicantIinBin, (registeredIinBins.get(request.applicantIinBin) ?? 0) + 1);
  const applicationsRegisteredTwice = applications.filter((a) => (registeredIinBins.get(String(a.variables.applicantIinBin)) ?? 0) > 1).length;

  const scPerTree = new Map<string, number>();
  let scReplays = 0;
  for (const application of simulators.stateCorporation.applications.values()) {
    scReplays += application.calls - 1;
    const instance = perTree('stateCorporationRegistrations', application.requestId, scPerTree);
    if (instance) {
      const root = byId.get(rootIdOf(instance));
      const stored = instance.variables.scReceiptNumber ?? root.variables.scReceiptNumber;
      if (stored !== application.receiptNumber) tally.fail(`State corporation receipt ${application.receiptNumber} of ${instance.id}: the instance stored ${stored}`);
    }
  }
  for (const [root, n] of scPerTree) if (n > 1) tally.fail(`instance tree ${root}: ${n} State corporation registrations`);

  let signedResults = 0;
  for (const notification of simulators.cabinet.notifications.values()) {
    const [instanceId] = notification.key.split(':');
    const instance = byId.get(instanceId);
    if (!instance) {
      orphans.cabinetNotifications++;
      continue;
    }
    // Only the result document is compared: an instance's earlier notifications were overwritten by later steps.
    if (notification.notice === 'result') {
      signedResults++;
      if (notification.document !== instance.variables.resultDocument) tally.fail(`instance ${instance.id}: the recipient's cabinet holds a result document other than the one the instance stored (signed twice)`);
    }
  }

  if (strictOrphans) {
    for (const [kind, n] of Object.entries(orphans)) if (n > 0) tally.fail(`${n} orphan ${kind}: a side effect of a step the kill discarded belongs to no instance`);
    if (applicationsRegisteredTwice > 0) tally.fail(`${applicationsRegisteredTwice} application(s) registered twice in E-licensing`);
  }
  return {
    sideEffects: {
      elicenseRegistrations: simulators.elicense.requests.size,
      elicenseReplays,
      stateCorporationRegistrations: simulators.stateCorporation.applications.size,
      stateCorporationReplays: scReplays,
      cabinetNotifications: simulators.cabinet.notifications.size,
      signedResultsDelivered: signedResults,
    },
    orphanSideEffects: { ...orphans, applicationsRegisteredTwice },
  };
}
