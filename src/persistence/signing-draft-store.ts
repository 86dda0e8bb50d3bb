import { DataSource } from 'typeorm';
import { SigningDraftEntity, SigningDraftRow } from './signing-draft-entity';
import { writeTransaction } from './write-lock';

export type { SigningDraftRow };

/** The drafts people sign and their signatures (see SigningDraftEntity). */
export class SqlSigningDraftStore {
  constructor(private readonly dataSource: DataSource) {}

  ofTask(taskId: string): Promise<SigningDraftRow | null> {
    return this.dataSource.getRepository(SigningDraftEntity).findOne({ where: { taskId } });
  }

  byId(id: string): Promise<SigningDraftRow | null> {
    return this.dataSource.getRepository(SigningDraftEntity).findOne({ where: { id } });
  }

  /** An application's drafts (its called flows' included), oldest first. */
  ofApplication(instanceId: string): Promise<SigningDraftRow[]> {
    return this.dataSource.getRepository(SigningDraftEntity).find({ where: [{ rootInstanceId: instanceId }, { processInstanceId: instanceId }], order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** Stores the task's draft unless one is there already; answers the one stored (the first wins, so every preview shows the same bytes). */
  async keepFirst(row: SigningDraftRow): Promise<SigningDraftRow> {
    return writeTransaction(this.dataSource, async (manager) => {
      const repo = manager.getRepository(SigningDraftEntity);
      const existing = await repo.findOne({ where: { taskId: row.taskId } });
      if (existing) return existing;
      await repo.insert(row);
      return row;
    });
  }
}
