import type { LoadedDefinition } from '../../definitions/definition-service';
import type { HistoryRow, IncidentRow, InstanceRow, TaskRow } from '../../persistence/api-store';
import { withElementNames } from '../../runtime/history';

/**
 * Camunda's activity instances of one process instance, derived from what the host stores: the
 * history's engine events (a sequence flow taken starts its target, an activity's end ends it), the
 * tasks (every user task instance, with its task id), the called instances (a call activity's
 * called instance), the active activities of the instance row, pending timers and incidents.
 *
 * An activity instance's id is `activityId:n`, n the history row that started it (the flow taken
 * into it), so that the same instance has the same id in the runtime tree (`activity-instances`)
 * and in the history (`/history/activity-instance`), before and after it ends.
 */
export interface ActivityFacts {
  history: HistoryRow[];
  tasks: TaskRow[];
  called: InstanceRow[];
  timers: { activityId: string; executionId: string }[];
  incidents: IncidentRow[];
}

export interface ActivityInstance {
  id: string;
  activityId: string;
  activityName: string | null;
  /** Camunda's activity type (userTask, serviceTask, noneEndEvent, ...). */
  activityType: string;
  /** The enclosing sub-process's activity instance id, or the process instance id. */
  parentActivityInstanceId: string;
  executionId: string;
  taskId: string | null;
  assignee: string | null;
  calledProcessInstanceId: string | null;
  startTime: string;
  endTime: string | null;
  canceled: boolean;
  completeScope: boolean;
  incidentIds: string[];
}

/** Camunda's names for BPMN element types (org.camunda.bpm.engine.ActivityTypes). */
export function camundaActivityType(element: { $type?: string; eventDefinitions?: { $type?: string }[] } | undefined, fallbackType: string): string {
  const type = (element?.$type ?? fallbackType).replace(/^bpmn:/, '');
  const definition = (element?.eventDefinitions ?? [])[0]?.$type?.replace(/^bpmn:/, '').replace(/EventDefinition$/, '');
  switch (type) {
    case 'EndEvent':
      return definition ? `${definition.charAt(0).toLowerCase()}${definition.slice(1)}EndEvent` : 'noneEndEvent';
    case 'StartEvent':
      return definition ? `start${definition}Event` : 'startEvent';
    case 'BoundaryEvent':
      return `boundary${definition ?? ''}`;
    case 'IntermediateCatchEvent':
      return definition ? `intermediate${definition}` : 'intermediateCatchEvent';
    case 'IntermediateThrowEvent':
      return definition ? `intermediate${definition}Throw` : 'intermediateNoneThrowEvent';
    default:
      return `${type.charAt(0).toLowerCase()}${type.slice(1)}`;
  }
}

function elementOf(loaded: LoadedDefinition, id: string): any {
  return (loaded.moddleContext as unknown as { elementsById: Record<string, any> }).elementsById[id];
}

/** Every activity instance of the instance, oldest first (by start, ties by end and id). */
export function activityInstancesOf(instance: InstanceRow, loaded: LoadedDefinition, facts: ActivityFacts): ActivityInstance[] {
  const pendingStarts = new Map<string, { at: string; rowId: number }[]>();
  const completedTasks = new Map<string, string[]>();
  const tasksById = new Map(facts.tasks.map((t) => [t.id, t]));
  const calledByActivity = new Map<string, InstanceRow[]>();
  for (const child of facts.called) calledByActivity.set(child.parentActivityId ?? '', [...(calledByActivity.get(child.parentActivityId ?? '') ?? []), child]);
  const history = withElementNames(facts.history, loaded.model);
  const startedRow = history.find((r) => r.type === 'instance-started');
  const result: ActivityInstance[] = [];

  const takeStart = (activityId: string): { at: string; rowId: number } | undefined => pendingStarts.get(activityId)?.shift();
  const base = (activityId: string, fallbackType: string, start: { at: string; rowId: number } | undefined, fallbackStart: string) => {
    const element = elementOf(loaded, activityId);
    const parentElement = element?.$parent;
    return {
      id: `${activityId}:${start?.rowId ?? instance.id}`,
      activityId,
      activityName: (element?.name as string | undefined) ?? loaded.model.elements.get(activityId)?.name ?? null,
      activityType: camundaActivityType(element, fallbackType),
      // Sub-process instances are found again below (their own id) once every instance is known.
      parentActivityInstanceId: parentElement?.$type === 'bpmn:SubProcess' ? `@${String(parentElement.id)}` : instance.id,
      executionId: instance.id,
      taskId: null as string | null,
      assignee: null as string | null,
      calledProcessInstanceId: null as string | null,
      startTime: start?.at ?? fallbackStart,
      incidentIds: [] as string[],
    };
  };
  const withTask = (entry: ReturnType<typeof base>, task: TaskRow | undefined) => {
    if (!task) return entry;
    return { ...entry, taskId: task.id, assignee: task.assignee, executionId: task.executionId, startTime: entry.startTime > task.created ? task.created : entry.startTime };
  };
  const withCall = (entry: ReturnType<typeof base>) => {
    const child = calledByActivity.get(entry.activityId)?.shift();
    return child ? { ...entry, calledProcessInstanceId: child.id, executionId: child.parentExecutionId ?? entry.executionId } : entry;
  };

  for (const row of history) {
    if (row.type === 'flow-taken' && row.activityId) {
      const target = elementOf(loaded, row.activityId)?.targetRef?.id as string | undefined;
      if (target) pendingStarts.set(target, [...(pendingStarts.get(target) ?? []), { at: row.at, rowId: row.id! }]);
    } else if (row.type === 'task-completed' && row.activityId) {
      const taskId = (JSON.parse(row.data ?? '{}') as { taskId?: string }).taskId;
      if (taskId) completedTasks.set(row.activityId, [...(completedTasks.get(row.activityId) ?? []), taskId]);
    } else if (row.type === 'activity-end' && row.activityId) {
      // The diagram's element type: the engine names an event by its event definition.
      const type = (elementOf(loaded, row.activityId)?.$type as string | undefined) ?? (JSON.parse(row.data ?? '{}') as { type?: string }).type ?? '';
      const isStart = type === 'bpmn:StartEvent';
      const start = takeStart(row.activityId);
      let entry = base(row.activityId, type, start ?? (isStart && startedRow ? { at: startedRow.at, rowId: startedRow.id! } : undefined), row.at);
      if (type === 'bpmn:UserTask') entry = withTask(entry, tasksById.get(completedTasks.get(row.activityId)?.shift() ?? ''));
      if (type === 'bpmn:CallActivity') entry = withCall(entry);
      result.push({ ...entry, endTime: row.at, canceled: false, completeScope: type === 'bpmn:EndEvent' });
    } else if (row.type === 'task-cancelled' && row.activityId) {
      const taskId = (JSON.parse(row.data ?? '{}') as { taskId?: string }).taskId;
      const entry = withTask(base(row.activityId, 'bpmn:UserTask', takeStart(row.activityId), row.at), tasksById.get(taskId ?? ''));
      result.push({ ...entry, endTime: row.at, canceled: true, completeScope: false });
    }
  }

  if (instance.state === 'running') {
    const active = JSON.parse(instance.activeActivities) as ({ id: string; type?: string } | string)[];
    const openTasks = facts.tasks.filter((t) => t.state === 'open');
    for (const item of active) {
      const activityId = typeof item === 'string' ? item : item.id;
      const type = (elementOf(loaded, activityId)?.$type as string | undefined) ?? (typeof item === 'string' ? '' : (item.type ?? ''));
      // A boundary event listening on its activity is no activity instance of its own until it fires (as in Camunda).
      if (type === 'bpmn:BoundaryEvent') continue;
      let entry = base(activityId, type, takeStart(activityId), instance.startedAt);
      if (type === 'bpmn:UserTask') {
        const index = openTasks.findIndex((t) => t.taskDefinitionKey === activityId);
        if (index >= 0) entry = withTask(entry, openTasks.splice(index, 1)[0]);
      }
      if (type === 'bpmn:CallActivity') entry = withCall(entry);
      const timer = facts.timers.find((t) => t.activityId === activityId);
      if (timer && !entry.taskId) entry = { ...entry, executionId: timer.executionId };
      entry.incidentIds = facts.incidents.filter((n) => n.activityId === activityId && n.resolvedAt === null).map((n) => n.id);
      result.push({ ...entry, endTime: null, canceled: false, completeScope: false });
    }
  }

  // A nested activity names its sub-process's instance: the latest one started before it.
  for (const entry of result) {
    if (!entry.parentActivityInstanceId.startsWith('@')) continue;
    const subProcessId = entry.parentActivityInstanceId.slice(1);
    const scope = result.filter((r) => r.activityId === subProcessId && r.startTime <= entry.startTime).pop();
    entry.parentActivityInstanceId = scope?.id ?? instance.id;
  }
  return result.sort((a, b) => a.startTime.localeCompare(b.startTime) || (a.endTime ?? '\uffff').localeCompare(b.endTime ?? '\uffff') || a.id.localeCompare(b.id));
}

/** Camunda's ActivityInstanceDto tree of a running instance: the process instance at the root, its active activities below (sub-processes nesting theirs). */
export function activityInstanceTree(instance: InstanceRow, loaded: LoadedDefinition, activities: ActivityInstance[]) {
  const active = activities.filter((a) => a.endTime === null);
  const node = (a: ActivityInstance): Record<string, unknown> => ({
    id: a.id,
    parentActivityInstanceId: a.parentActivityInstanceId,
    activityId: a.activityId,
    activityType: a.activityType,
    processInstanceId: instance.id,
    processDefinitionId: instance.definitionId,
    childActivityInstances: active.filter((c) => c.parentActivityInstanceId === a.id).map(node),
    childTransitionInstances: [],
    executionIds: [a.executionId],
    activityName: a.activityName,
    incidentIds: a.incidentIds,
    incidents: a.incidentIds.map((id) => ({ id, parentActivityInstanceId: a.id })),
    name: a.activityName,
  });
  return {
    id: instance.id,
    parentActivityInstanceId: null,
    activityId: instance.definitionId,
    activityType: 'processDefinition',
    processInstanceId: instance.id,
    processDefinitionId: instance.definitionId,
    childActivityInstances: active.filter((a) => a.parentActivityInstanceId === instance.id).map(node),
    childTransitionInstances: [],
    executionIds: [instance.id],
    activityName: loaded.model.name ?? loaded.row.name ?? null,
    incidentIds: [],
    incidents: [],
    name: loaded.model.name ?? loaded.row.name ?? null,
  };
}
