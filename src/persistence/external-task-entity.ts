import { EntitySchema } from 'typeorm';

export type ExternalTaskState = 'open' | 'completed' | 'cancelled';

/**
 * A service task waiting for an external worker (Camunda 7's external task): its topic is one of
 * EXTERNAL_TASK_TOPICS, so its handler does not run in the step; the instance waits at the task until
 * a worker that locked it reports. The row stays after the task leaves `open` (completed by a worker,
 * cancelled when the instance left the task), so that a repeated report is told the task is gone.
 */
export interface ExternalTaskRow {
  id: string;
  topicName: string;
  processInstanceId: string;
  processDefinitionKey: string;
  definitionId: string;
  businessKey: string | null;
  activityId: string;
  executionId: string;
  state: ExternalTaskState;
  /** null until a worker reports a failure; 0: an incident, not fetched until an admin retries it. */
  retries: number | null;
  errorMessage: string | null;
  errorDetails: string | null;
  /** The worker holding (or last holding) the lock. */
  workerId: string | null;
  /** ISO instant; the task is free to fetch at or after it (null: never locked). */
  lockExpirationTime: string | null;
  priority: number;
  createdAt: string;
  /** JSON: the instance's variables when the task began, what its handler would have read. */
  variables: string;
  endedAt: string | null;
}

export const ExternalTaskEntity = new EntitySchema<ExternalTaskRow>({
  name: 'ExternalTask',
  tableName: 'external_tasks',
  columns: {
    id: { type: 'varchar', length: 64, primary: true },
    topicName: { type: 'varchar', length: 200 },
    processInstanceId: { type: 'varchar', length: 64 },
    processDefinitionKey: { type: 'varchar', length: 200 },
    definitionId: { type: 'varchar', length: 200 },
    businessKey: { type: 'varchar', length: 200, nullable: true },
    activityId: { type: 'varchar', length: 200 },
    executionId: { type: 'varchar', length: 200 },
    state: { type: 'varchar', length: 16 },
    retries: { type: 'integer', nullable: true },
    errorMessage: { type: 'text', nullable: true },
    errorDetails: { type: 'text', nullable: true },
    workerId: { type: 'varchar', length: 200, nullable: true },
    lockExpirationTime: { type: 'varchar', length: 24, nullable: true },
    priority: { type: 'integer' },
    createdAt: { type: 'varchar', length: 24 },
    variables: { type: 'text' },
    endedAt: { type: 'varchar', length: 24, nullable: true },
  },
  indices: [
    { name: 'ix_external_task_fetch', columns: ['state', 'topicName', 'priority', 'createdAt'] },
    { name: 'ix_external_task_instance', columns: ['processInstanceId', 'state'] },
  ],
});
