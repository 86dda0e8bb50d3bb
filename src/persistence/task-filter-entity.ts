import { EntitySchema } from 'typeorm';

/**
 * A saved task query of one user (Camunda 7's filter, resource type Task): a tasklist shows it as a
 * list in its sidebar. `query` and `properties` are JSON as the client sent them (the query already
 * checked against the subset this server reads).
 */
export interface TaskFilterRow {
  id: string;
  /** Whose filter it is: only its owner lists, reads, changes or runs it. */
  ownerId: string;
  resourceType: string;
  name: string;
  query: string;
  properties: string;
  createdAt: string;
}

export const TaskFilterEntity = new EntitySchema<TaskFilterRow>({
  name: 'TaskFilter',
  tableName: 'task_filters',
  columns: {
    id: { type: 'varchar', length: 64, primary: true },
    ownerId: { type: 'varchar', length: 100 },
    resourceType: { type: 'varchar', length: 16 },
    name: { type: 'text' },
    query: { type: 'text' },
    properties: { type: 'text' },
    createdAt: { type: 'varchar', length: 24 },
  },
  indices: [{ name: 'ix_task_filter_owner', columns: ['ownerId', 'createdAt', 'id'] }],
});
