import { DefinitionRow, HistoryRow, InstanceRow } from '../persistence/entities';
import { TaskWithGroups } from '../persistence/queries';

export function presentDefinition(row: DefinitionRow) {
  return { id: row.id, key: row.key, version: row.version, name: row.name, resourceName: row.resourceName, deploymentId: row.deploymentId, deployedAt: row.deployedAt };
}

export function presentInstance(row: InstanceRow) {
  return {
    id: row.id,
    processDefinitionKey: row.processDefinitionKey,
    processDefinitionId: row.definitionId,
    version: row.version,
    businessKey: row.businessKey,
    state: row.state,
    variables: JSON.parse(row.variables),
    activeActivities: JSON.parse(row.activeActivities),
    startedAt: row.startedAt,
    endedAt: row.endedAt,
    outcome: row.outcome ?? undefined,
    parentInstanceId: row.parentInstanceId ?? undefined,
  };
}

export function presentTask(row: TaskWithGroups, now: Date) {
  return {
    id: row.id,
    name: row.name,
    taskDefinitionKey: row.taskDefinitionKey,
    processInstanceId: row.processInstanceId,
    processDefinitionKey: row.processDefinitionKey,
    processDefinitionId: row.definitionId,
    businessKey: row.businessKey,
    candidateGroups: row.candidateGroups,
    assignee: row.assignee,
    created: row.created,
    due: row.due,
    overdue: row.state === 'open' && row.due !== null && row.due < now.toISOString(),
    timeLimit: row.timeLimit,
    priority: row.priority,
    state: row.state,
    completedAt: row.completedAt ?? undefined,
    completedBy: row.completedBy ?? undefined,
  };
}

export function presentHistory(row: HistoryRow) {
  return {
    at: row.at,
    type: row.type,
    activityId: row.activityId ?? undefined,
    activityName: row.activityName ?? undefined,
    user: row.userId ?? undefined,
    data: row.data ? JSON.parse(row.data) : undefined,
  };
}
