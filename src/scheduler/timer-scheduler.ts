import { randomUUID } from 'node:crypto';
import { Clock } from '../clock';
import { DomainError } from '../errors';
import { TimerRow } from '../persistence/entities';
import { InstanceStore, RiskStore, TimerFilter, TimerStore } from '../persistence/instance-store';
import { UnitOfWork } from '../persistence/unit-of-work';
import { DefinitionSource } from '../runtime/ports';
import { atRiskWarning } from './at-risk';
import { escalation, escalationGroup, isOverdue } from './escalation';

/** Identifies this server process in timer leases. */
export const PROCESS_ID = `${process.pid}-${randomUUID().slice(0, 8)}`;
/** Longer than any step takes; a crashed holder's timers are picked up after it. */
const TIMER_LEASE_MS = 60_000;

export interface TimerSchedulerOptions {
  store: TimerStore & RiskStore & Pick<InstanceStore, 'task' | 'commit'>;
  /** Moves an instance whose timer event is due (ProcessRuntime.fireTimer). */
  runtime: { fireTimer(timer: TimerRow): Promise<void> };
  definitions: DefinitionSource;
  clock: Clock;
  /** Gives back the leases a holder still has on pending timers (at shutdown); without it they expire after TIMER_LEASE_MS. */
  leases?: { release(holder: string): Promise<number> };
}

export interface FireResult {
  fired: string[];
  failed: { timerId: string; error: string }[];
  /** Tasks that entered the last share of their limit and were warned (or, already overdue, marked). */
  warned: string[];
}

/** The host's timers: diagram timer events (the engine arms none) and task due dates (escalation). */
export class TimerScheduler {
  private stopping = false;

  constructor(private readonly options: TimerSchedulerOptions) {}

  /**
   * The host is shutting down: a poll under way finishes the timer it is firing and leases no
   * more. Then `releaseLeases` hands back what this process still holds, so that another server
   * takes those timers at its next poll rather than a lease's length later.
   */
  stop(): void {
    this.stopping = true;
  }

  /** Ends this process's leases on timers still pending (a failed one, or one leased as the poll stopped); how many. */
  releaseLeases(): Promise<number> {
    return this.options.leases?.release(PROCESS_ID) ?? Promise.resolve(0);
  }

  /**
   * Fires every pending timer that is due by the host's clock, oldest first, one transaction each.
   * Each is leased first so that of several server processes polling one database only one runs it
   * (and its handlers); a timer another process fired meanwhile is skipped (the pending -> fired
   * update finds nothing to change), so each timer fires once however many processes poll.
   */
  async fireDueTimers(limit = 100): Promise<FireResult> {
    const now = this.options.clock.now();
    const due = await this.options.store.dueTimers(now.toISOString(), limit);
    const result: FireResult = { fired: [], failed: [], warned: [] };
    for (const timer of due) {
      if (this.stopping) return result;
      if (!(await this.lease(timer, now))) continue;
      try {
        if (timer.kind === 'task-due') await this.escalate(timer);
        else await this.options.runtime.fireTimer(timer);
        result.fired.push(timer.id);
      } catch (error) {
        if (error instanceof DomainError && error.kind === 'conflict') continue;
        result.failed.push({ timerId: timer.id, error: error instanceof Error ? error.message : String(error) });
      }
    }
    await this.warnAtRisk(now, limit, result);
    return result;
  }

  /**
   * Warns each open task that entered the last share of its limit, one transaction each. No lease:
   * the warning's only write is the task's warnedAt under compare-and-set with the notification in
   * the same commit, so a server that loses the race stores nothing (a conflict, skipped) and a
   * crash before the commit leaves the task to the next poll.
   */
  private async warnAtRisk(now: Date, limit: number, result: FireResult): Promise<void> {
    for (const task of await this.options.store.tasksEnteringRisk(now.toISOString(), limit)) {
      if (this.stopping) return;
      try {
        const notified = escalationGroup((await this.options.definitions.load(task.definitionId)).model);
        const uow = new UnitOfWork();
        uow.add(atRiskWarning(task, notified, now));
        await this.options.store.commit(uow);
        result.warned.push(task.id);
      } catch (error) {
        if (error instanceof DomainError && error.kind === 'conflict') continue;
        result.failed.push({ timerId: `at-risk:${task.id}`, error: error instanceof Error ? error.message : String(error) });
      }
    }
  }

  listTimers(filter: TimerFilter): Promise<TimerRow[]> {
    return this.options.store.timers(filter);
  }

  /** A lease left by a killed process expires. */
  private lease(timer: TimerRow, now: Date): Promise<boolean> {
    return this.options.store.leaseTimer(timer.id, PROCESS_ID, now.toISOString(), new Date(now.getTime() + TIMER_LEASE_MS).toISOString());
  }

  /** A task's legal time limit passed (see escalation.ts). */
  private async escalate(timer: TimerRow): Promise<void> {
    const now = this.options.clock.now();
    const task = (await this.options.store.task(timer.executionId))?.task ?? null;
    const overdue = isOverdue(task) ? { task, notified: escalationGroup((await this.options.definitions.load(task.definitionId)).model) } : null;
    const uow = new UnitOfWork();
    uow.add(escalation(timer, overdue, now));
    await this.options.store.commit(uow);
  }
}
