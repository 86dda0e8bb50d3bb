import { EntitySchema } from 'typeorm';

/**
 * A document attached to an application (a scan from the office, a file of the portal request): what
 * it is and who added it at which step. Its bytes are in attachment_contents (one row per attachment,
 * written in the same transaction), so that listing a case never reads them. Not a process variable:
 * no condition, form or handler sees it.
 */
export interface AttachmentRow {
  id: string;
  /** The instance of the task that added it. */
  processInstanceId: string;
  /** The application (top-level instance): the case page lists its called flows' attachments too. */
  rootInstanceId: string;
  taskId: string;
  /** The step (user task element) that added it. */
  taskDefinitionKey: string;
  /** Sanitised file name, as shown and as offered on download. */
  name: string;
  /** The media type sniffed from the bytes (the declared one had to agree). */
  mediaType: string;
  size: number;
  /** Hex SHA-256 of the bytes. */
  sha256: string;
  uploadedBy: string;
  uploadedAt: string;
}

export const AttachmentEntity = new EntitySchema<AttachmentRow>({
  name: 'Attachment',
  tableName: 'attachments',
  columns: {
    id: { type: 'varchar', length: 64, primary: true },
    processInstanceId: { type: 'varchar', length: 64 },
    rootInstanceId: { type: 'varchar', length: 64 },
    taskId: { type: 'varchar', length: 64 },
    taskDefinitionKey: { type: 'varchar', length: 128 },
    name: { type: 'varchar', length: 255 },
    mediaType: { type: 'varchar', length: 100 },
    size: { type: 'integer' },
    sha256: { type: 'varchar', length: 64 },
    uploadedBy: { type: 'varchar', length: 100 },
    uploadedAt: { type: 'varchar', length: 24 },
  },
  indices: [
    { name: 'ix_attachment_root', columns: ['rootInstanceId', 'uploadedAt', 'id'] },
    { name: 'ix_attachment_task', columns: ['taskId', 'uploadedAt', 'id'] },
  ],
});

/**
 * The bytes live in `attachment_contents` ("attachmentId" primary key, "content" blob on sqlite,
 * bytea on PostgreSQL). typeorm has no column type that is a blob on both, so that table is no
 * entity: attachment-store.ts reads and writes it with SQL of its own.
 */
export const ATTACHMENT_CONTENTS_TABLE = 'attachment_contents';
