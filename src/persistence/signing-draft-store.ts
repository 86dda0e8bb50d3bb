import { DataSource } from 'typeorm';
import { TaskEntity } from './entities';
import { SigningDraftEntity, SigningDraftRow } from './signing-draft-entity';
import type { SignatureWrite } from './unit-of-work';
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

  /**
   * The last draft of `kind` an application's person signed: its CMS stored and its task completed,
   * or its signature carried by the completion running now (`inStep`, not yet committed).
   */
  async lastSigned(instanceId: string, kind: string, inStep: (taskId: string) => SignatureWrite | undefined = () => undefined): Promise<SigningDraftRow | null> {
    const drafts = (await this.ofApplication(instanceId)).filter((d) => d.kind === kind);
    for (const draft of drafts.reverse()) {
      const pending = draft.cms ? undefined : inStep(draft.taskId);
      if (pending) return { ...draft, cms: pending.cms, signedBy: pending.signedBy, signerIin: pending.signerIin, signedAt: pending.signedAt };
      if (!draft.cms) continue;
      const task = await this.dataSource.getRepository(TaskEntity).findOne({ where: { id: draft.taskId }, select: { id: true, state: true } });
      if (task?.state === 'completed') return draft;
    }
    return null;
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
