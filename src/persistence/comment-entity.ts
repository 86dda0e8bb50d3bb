import { EntitySchema } from 'typeorm';

/**
 * A comment on an application (a case) or on one of its tasks: who wrote what, when. Comments are
 * not process variables: they never change the application's course, and no form or handler reads them.
 */
export interface CommentRow {
  id: string;
  /** The instance the comment is on (a task's own instance for a task comment). */
  processInstanceId: string;
  /** The application (top-level instance) it belongs to: the case page lists its called flows' comments too. */
  rootInstanceId: string;
  /** The task it is on; null for a comment on the case. */
  taskId: string | null;
  userId: string;
  at: string;
  text: string;
}

export const CommentEntity = new EntitySchema<CommentRow>({
  name: 'Comment',
  tableName: 'comments',
  columns: {
    id: { type: 'varchar', length: 64, primary: true },
    processInstanceId: { type: 'varchar', length: 64 },
    rootInstanceId: { type: 'varchar', length: 64 },
    taskId: { type: 'varchar', length: 64, nullable: true },
    userId: { type: 'varchar', length: 100 },
    at: { type: 'varchar', length: 24 },
    text: { type: 'text' },
  },
  indices: [
    { name: 'ix_comment_root', columns: ['rootInstanceId', 'at', 'id'] },
    { name: 'ix_comment_task', columns: ['taskId', 'at', 'id'] },
  ],
});
