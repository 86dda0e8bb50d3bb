import { DataSource } from 'typeorm';
import { ATTACHMENT_CONTENTS_TABLE, AttachmentEntity, AttachmentRow } from './attachment-entity';
import { HistoryEntity, HistoryRow, TaskEntity } from './entities';
import { writeTransaction } from './write-lock';

/**
 * Attachments in the database: the row in `attachments`, the bytes in `attachment_contents`, and the
 * history row, in one transaction. A process killed before the commit leaves none of them (the
 * database's journal rolls the transaction back at the next open); one killed after it loses nothing.
 * No file is written anywhere, so there is no orphan file to sweep.
 */
export class SqlAttachmentStore {
  private readonly postgres: boolean;

  constructor(private readonly dataSource: DataSource) {
    this.postgres = dataSource.options.type === 'postgres';
  }

  add(row: AttachmentRow, content: Uint8Array, history: HistoryRow): Promise<boolean> {
    return writeTransaction(this.dataSource, async (manager) => {
      // Read in the transaction: a completion or a hand-over committed meanwhile wins, nothing is stored.
      const query = manager.getRepository(TaskEntity).createQueryBuilder('t').where('t.id = :id', { id: row.taskId }).andWhere("t.state = 'open'").andWhere('(t.assignee IS NULL OR t.assignee = :user)', { user: row.uploadedBy });
      // PostgreSQL: the task row stays as read until this transaction ends.
      if (this.postgres) query.setLock('pessimistic_read');
      if (!(await query.select('t.id').getOne())) return false;
      await manager.getRepository(AttachmentEntity).insert(row);
      await manager.query(`INSERT INTO "${ATTACHMENT_CONTENTS_TABLE}" ("attachmentId", "content") VALUES (${this.postgres ? '$1, $2' : '?, ?'})`, [row.id, Buffer.from(content.buffer, content.byteOffset, content.byteLength)]);
      await manager.getRepository(HistoryEntity).insert(history);
      return true;
    });
  }

  ofApplication(instanceId: string): Promise<AttachmentRow[]> {
    return this.dataSource.getRepository(AttachmentEntity).find({ where: [{ rootInstanceId: instanceId }, { processInstanceId: instanceId }], order: { uploadedAt: 'ASC', id: 'ASC' } });
  }

  ofTask(taskId: string): Promise<AttachmentRow[]> {
    return this.dataSource.getRepository(AttachmentEntity).find({ where: { taskId }, order: { uploadedAt: 'ASC', id: 'ASC' } });
  }

  find(id: string): Promise<AttachmentRow | null> {
    return this.dataSource.getRepository(AttachmentEntity).findOne({ where: { id } });
  }

  async content(id: string): Promise<Buffer | null> {
    const rows = (await this.dataSource.query(`SELECT "content" FROM "${ATTACHMENT_CONTENTS_TABLE}" WHERE "attachmentId" = ${this.postgres ? '$1' : '?'}`, [id])) as { content: Buffer | Uint8Array }[];
    if (rows.length === 0) return null;
    const value = rows[0].content;
    return Buffer.isBuffer(value) ? value : Buffer.from(value);
  }

  /** Rows and contents stored (tests count them before and after a refused or killed upload). */
  async counts(): Promise<{ rows: number; contents: number }> {
    const [{ n: contents }] = (await this.dataSource.query(`SELECT COUNT(*) AS n FROM "${ATTACHMENT_CONTENTS_TABLE}"`)) as { n: number | string }[];
    return { rows: await this.dataSource.getRepository(AttachmentEntity).count(), contents: Number(contents) };
  }
}
