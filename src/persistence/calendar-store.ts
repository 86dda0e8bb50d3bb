import { DataSource, IsNull, Not } from 'typeorm';
import { CalendarVersionEntity, CalendarVersionRow, HistoryEntity, HistoryRow, TaskEntity, TaskGroupEntity, TaskRow, TimerEntity, TimerRow } from './entities';
import { isUniqueViolation } from './errors';
import { writeTransaction } from './write-lock';

/** An open task whose due date the calendar gives, with its pending escalation timer. */
export interface DatedTask {
  task: Pick<TaskRow, 'id' | 'processInstanceId' | 'taskDefinitionKey' | 'name' | 'created' | 'due' | 'timeLimit'>;
  /** The task's pending `task-due` timer; null once it fired (the task escalated) or when it has none. */
  timer: Pick<TimerRow, 'id' | 'dueAt'> | null;
}

/** A due date moved by a calendar correction; written only if task and timer still hold `previousDue`. */
export interface DueDateMove {
  taskId: string;
  previousDue: string;
  due: string;
  /** The task's at-risk instant with the new due date, when the calendar gives one. */
  riskFrom?: string;
  timer: { id: string; previousDueAt: string } | null;
  history: HistoryRow;
}

/** The deployed calendar versions, and the reads and writes of recomputing due dates from one. */
export class SqlCalendarStore {
  constructor(private readonly dataSource: DataSource) {}

  latest(): Promise<CalendarVersionRow | null> {
    return this.dataSource.getRepository(CalendarVersionEntity).findOne({ where: {}, order: { version: 'DESC' } });
  }

  /** The latest version that came from `source` (e.g. the file read at start). */
  latestFrom(source: string): Promise<CalendarVersionRow | null> {
    return this.dataSource.getRepository(CalendarVersionEntity).findOne({ where: { source }, order: { version: 'DESC' } });
  }

  /**
   * Stores `data` as the next version unless the latest has the same hash (then that one is
   * answered, `created` false). Two servers storing at once: the loser of the race on the version
   * number tries again and finds the winner's.
   */
  async save(row: Omit<CalendarVersionRow, 'version'>): Promise<{ row: CalendarVersionRow; created: boolean }> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await writeTransaction(this.dataSource, async (manager) => {
          const repository = manager.getRepository(CalendarVersionEntity);
          const latest = await repository.findOne({ where: {}, order: { version: 'DESC' } });
          if (latest && latest.dataHash === row.dataHash) return { row: latest, created: false };
          const stored: CalendarVersionRow = { ...row, version: (latest?.version ?? 0) + 1 };
          await repository.insert(stored);
          return { row: stored, created: true };
        });
      } catch (error) {
        if (attempt >= 5 || !isUniqueViolation(error)) throw error;
      }
    }
  }

  /** Every open task with a due date, with its pending escalation timer. */
  async datedOpenTasks(): Promise<DatedTask[]> {
    const tasks = await this.dataSource.getRepository(TaskEntity).find({
      select: { id: true, processInstanceId: true, taskDefinitionKey: true, name: true, created: true, due: true, timeLimit: true },
      where: { state: 'open', due: Not(IsNull()) },
    });
    const timers = await this.dataSource.getRepository(TimerEntity).find({ select: { id: true, executionId: true, dueAt: true }, where: { kind: 'task-due', state: 'pending' } });
    const timerOf = new Map(timers.map((t) => [t.executionId, { id: t.id, dueAt: t.dueAt }]));
    return tasks.map((task) => ({ task, timer: timerOf.get(task.id) ?? null }));
  }

  /**
   * Writes the moves in one transaction. A task that left `open` or whose due date changed
   * meanwhile, or a timer no longer pending, is left alone (compare-and-set): answers the moves
   * written.
   */
  applyMoves(moves: readonly DueDateMove[]): Promise<DueDateMove[]> {
    if (moves.length === 0) return Promise.resolve([]);
    return writeTransaction(this.dataSource, async (manager) => {
      // riskFrom is kept with the due date where the task list has one (the at-risk warning).
      const hasRisk = !!manager.connection.getMetadata(TaskEntity).findColumnWithPropertyName('riskFrom');
      const written: DueDateMove[] = [];
      for (const move of moves) {
        const patch: Record<string, string> = { due: move.due, dueSort: move.due };
        if (hasRisk && move.riskFrom) patch.riskFrom = move.riskFrom;
        const result = await manager
          .createQueryBuilder()
          .update(TaskEntity)
          .set(patch as Partial<TaskRow>)
          .where("id = :id AND state = 'open' AND due = :previous", { id: move.taskId, previous: move.previousDue })
          .execute();
        if (!result.affected) continue;
        await manager.createQueryBuilder().update(TaskGroupEntity).set({ dueSort: move.due }).where('taskId = :id', { id: move.taskId }).execute();
        let timer = move.timer;
        if (timer) {
          const moved = await manager
            .createQueryBuilder()
            .update(TimerEntity)
            .set({ dueAt: move.due })
            .where("id = :id AND state = 'pending' AND dueAt = :previous", { id: timer.id, previous: timer.previousDueAt })
            .execute();
          if (!moved.affected) timer = null;
        }
        const history = timer ? move.history : { ...move.history, data: JSON.stringify({ ...(JSON.parse(move.history.data ?? '{}') as object), timerId: null }) };
        await manager.getRepository(HistoryEntity).insert(history);
        written.push({ ...move, timer, history });
      }
      return written;
    });
  }
}
