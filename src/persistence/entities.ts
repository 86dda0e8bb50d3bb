import { EntitySchema } from 'typeorm';

/*
 * Tables are described with EntitySchema rather than decorators so that the rows stay plain
 * interfaces. Timestamps are ISO-8601 UTC strings (fixed width, so they sort as text on sqlite
 * and PostgreSQL alike); JSON goes into text columns for the same portability.
 */

export interface DeploymentRow {
  id: string;
  name: string;
  source: string;
  deployedAt: string;
  deployedBy: string | null;
}

export interface DefinitionRow {
  id: string;
  key: string;
  version: number;
  name: string | null;
  resourceName: string;
  source: string;
  sourceHash: string;
  deploymentId: string;
  deployedAt: string;
}

export type InstanceState = 'running' | 'completed' | 'failed' | 'terminated';

export interface InstanceRow {
  id: string;
  definitionId: string;
  processDefinitionKey: string;
  version: number;
  businessKey: string | null;
  state: InstanceState;
  /** bpmn-engine state without the embedded definition source; null once the instance has ended. */
  engineState: string | null;
  variables: string;
  activeActivities: string;
  outcome: string | null;
  startedAt: string;
  endedAt: string | null;
  startedBy: string | null;
  parentInstanceId: string | null;
  parentActivityId: string | null;
  parentExecutionId: string | null;
  /** Optimistic-lock counter: every write checks the value it read. */
  rev: number;
}

export type TaskState = 'open' | 'completed' | 'cancelled';

export interface TaskRow {
  id: string;
  processInstanceId: string;
  processDefinitionKey: string;
  definitionId: string;
  businessKey: string | null;
  taskDefinitionKey: string;
  executionId: string;
  name: string | null;
  assignee: string | null;
  created: string;
  due: string | null;
  timeLimit: string | null;
  priority: number;
  state: TaskState;
  completedAt: string | null;
  completedBy: string | null;
}

export interface TaskGroupRow {
  taskId: string;
  groupId: string;
}

export interface HistoryRow {
  id?: number;
  processInstanceId: string;
  at: string;
  type: string;
  activityId: string | null;
  activityName: string | null;
  userId: string | null;
  data: string | null;
}

const ts = { type: 'varchar', length: 24 } as const;
const tsNullable = { type: 'varchar', length: 24, nullable: true } as const;
const id = { type: 'varchar', length: 64 } as const;

export const DeploymentEntity = new EntitySchema<DeploymentRow>({
  name: 'Deployment',
  tableName: 'deployments',
  columns: {
    id: { ...id, primary: true },
    name: { type: 'varchar', length: 255 },
    source: { type: 'varchar', length: 40 },
    deployedAt: ts,
    deployedBy: { type: 'varchar', length: 100, nullable: true },
  },
});

export const DefinitionEntity = new EntitySchema<DefinitionRow>({
  name: 'Definition',
  tableName: 'process_definitions',
  columns: {
    id: { type: 'varchar', length: 160, primary: true },
    key: { type: 'varchar', length: 128 },
    version: { type: 'integer' },
    name: { type: 'text', nullable: true },
    resourceName: { type: 'varchar', length: 255 },
    source: { type: 'text' },
    sourceHash: { type: 'varchar', length: 64 },
    deploymentId: id,
    deployedAt: ts,
  },
  uniques: [{ name: 'uq_definition_key_version', columns: ['key', 'version'] }],
});

export const InstanceEntity = new EntitySchema<InstanceRow>({
  name: 'Instance',
  tableName: 'process_instances',
  columns: {
    id: { ...id, primary: true },
    definitionId: { type: 'varchar', length: 160 },
    processDefinitionKey: { type: 'varchar', length: 128 },
    version: { type: 'integer' },
    businessKey: { type: 'varchar', length: 255, nullable: true },
    state: { type: 'varchar', length: 16 },
    engineState: { type: 'text', nullable: true },
    variables: { type: 'text' },
    activeActivities: { type: 'text' },
    outcome: { type: 'varchar', length: 128, nullable: true },
    startedAt: ts,
    endedAt: tsNullable,
    startedBy: { type: 'varchar', length: 100, nullable: true },
    parentInstanceId: { type: 'varchar', length: 64, nullable: true },
    parentActivityId: { type: 'varchar', length: 128, nullable: true },
    parentExecutionId: { type: 'varchar', length: 160, nullable: true },
    rev: { type: 'integer' },
  },
  indices: [
    { name: 'ix_instance_key_state', columns: ['processDefinitionKey', 'state', 'startedAt'] },
    { name: 'ix_instance_business_key', columns: ['businessKey'] },
    { name: 'ix_instance_parent', columns: ['parentInstanceId'] },
  ],
});

export const TaskEntity = new EntitySchema<TaskRow>({
  name: 'Task',
  tableName: 'tasks',
  columns: {
    id: { ...id, primary: true },
    processInstanceId: id,
    processDefinitionKey: { type: 'varchar', length: 128 },
    definitionId: { type: 'varchar', length: 160 },
    businessKey: { type: 'varchar', length: 255, nullable: true },
    taskDefinitionKey: { type: 'varchar', length: 128 },
    executionId: { type: 'varchar', length: 160 },
    name: { type: 'text', nullable: true },
    assignee: { type: 'varchar', length: 100, nullable: true },
    created: ts,
    due: tsNullable,
    timeLimit: { type: 'varchar', length: 100, nullable: true },
    priority: { type: 'integer', default: 50 },
    state: { type: 'varchar', length: 12 },
    completedAt: tsNullable,
    completedBy: { type: 'varchar', length: 100, nullable: true },
  },
  uniques: [{ name: 'uq_task_execution', columns: ['processInstanceId', 'executionId'] }],
  indices: [
    { name: 'ix_task_state_due', columns: ['state', 'due'] },
    { name: 'ix_task_state_assignee', columns: ['state', 'assignee'] },
    { name: 'ix_task_instance', columns: ['processInstanceId'] },
  ],
});

export const TaskGroupEntity = new EntitySchema<TaskGroupRow>({
  name: 'TaskGroup',
  tableName: 'task_candidate_groups',
  columns: {
    taskId: { ...id, primary: true },
    groupId: { type: 'varchar', length: 100, primary: true },
  },
  indices: [{ name: 'ix_task_group_group', columns: ['groupId', 'taskId'] }],
});

export const HistoryEntity = new EntitySchema<HistoryRow>({
  name: 'History',
  tableName: 'history',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    processInstanceId: id,
    at: ts,
    type: { type: 'varchar', length: 40 },
    activityId: { type: 'varchar', length: 128, nullable: true },
    activityName: { type: 'text', nullable: true },
    userId: { type: 'varchar', length: 100, nullable: true },
    data: { type: 'text', nullable: true },
  },
  indices: [{ name: 'ix_history_instance', columns: ['processInstanceId', 'id'] }],
});

export const allEntities = [DeploymentEntity, DefinitionEntity, InstanceEntity, TaskEntity, TaskGroupEntity, HistoryEntity];
