import type { DefinitionRow, HistoryRow, IncidentRow, InstanceRow, TaskWithGroups } from '../persistence/api-store';

export function presentDefinition(row: DefinitionRow) {
  return { id: row.id, key: row.key, version: row.version, name: row.name, resourceName: row.resourceName, deploymentId: row.deploymentId, deployedAt: row.deployedAt, inForceFrom: row.inForceFrom ?? null };
}

export function presentInstance(row: InstanceRow, now: Date = new Date()) {
  return {
    deadline: row.deadline ?? null,
    deadlineDerived: row.deadlineDerived ?? null,
    overdue: row.state === 'running' && !!row.deadline && row.deadline < now.toISOString(),
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

export function presentTask(row: TaskWithGroups & { applicantName?: string | null; applicantIinBin?: string | null }, now: Date) {
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
    owner: row.owner ?? null,
    delegationState: row.delegationState ?? null,
    created: row.created,
    due: row.due,
    overdue: row.state === 'open' && row.due !== null && row.due < now.toISOString(),
    escalatedAt: row.escalatedAt ?? null,
    timeLimit: row.timeLimit,
    priority: row.priority,
    state: row.state,
    completedAt: row.completedAt ?? undefined,
    completedBy: row.completedBy ?? undefined,
    ...(row.applicantName !== undefined ? { applicantName: row.applicantName, applicantIinBin: row.applicantIinBin ?? null } : {}),
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

export function presentIncident(row: IncidentRow) {
  return {
    id: row.id,
    processInstanceId: row.processInstanceId,
    processDefinitionKey: row.processDefinitionKey,
    activityId: row.activityId,
    handler: row.handler,
    message: row.message,
    attempts: row.attempts,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    resolvedAt: row.resolvedAt,
    resolvedBy: row.resolvedBy,
  };
}
