import { DataSource, LessThanOrEqual } from 'typeorm';
import { WebSessionEntity, WebSessionRow } from './session-entity';
import { writeTransaction } from './write-lock';

/** The web app's sessions in web_sessions: shared by every server on the database, kept across restarts. */
export class SqlWebSessionStore {
  constructor(private readonly dataSource: DataSource) {}

  find(idHash: string): Promise<WebSessionRow | null> {
    return this.dataSource.getRepository(WebSessionEntity).findOne({ where: { idHash } });
  }

  /**
   * Stores a new session. Ended sessions are swept here (a sign-in is rare next to requests, and this
   * write happens anyway), and the user's oldest sessions beyond `keepPerUser` end.
   */
  insert(row: WebSessionRow, options: { now: string; keepPerUser: number }): Promise<void> {
    return writeTransaction(this.dataSource, async (manager) => {
      const repository = manager.getRepository(WebSessionEntity);
      await repository.delete({ expiresAt: LessThanOrEqual(options.now) });
      await repository.insert(row);
      const beyond = await repository.find({
        select: { idHash: true },
        where: { userId: row.userId },
        order: { createdAt: 'DESC', idHash: 'DESC' },
        skip: Math.max(1, options.keepPerUser),
      });
      if (beyond.length > 0) await repository.delete(beyond.map((b) => b.idHash));
    });
  }

  /** Moves a session's last request and expiry forward; a concurrent later touch (another server) is not undone. */
  touch(idHash: string, lastSeenAt: string, expiresAt: string): Promise<void> {
    return writeTransaction(this.dataSource, async (manager) => {
      await manager
        .createQueryBuilder()
        .update(WebSessionEntity)
        .set({ lastSeenAt, expiresAt })
        .where('"idHash" = :idHash AND "lastSeenAt" < :lastSeenAt', { idHash, lastSeenAt })
        .execute();
    });
  }

  remove(idHash: string): Promise<void> {
    return writeTransaction(this.dataSource, async (manager) => {
      await manager.getRepository(WebSessionEntity).delete({ idHash });
    });
  }
}
