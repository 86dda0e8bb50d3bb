/**
 * Deploying a corrected working-time calendar (a Kurban ait date fixed, a transfer decreed) and what
 * follows from it: the due dates of open tasks, and their escalation timers, that depend on a changed
 * day are computed again from their original start (the task's creation) and limit, and the history
 * of each instance records the move (`due-date-recomputed`, with the previous and the new due date).
 *
 * Calendars are versions in the database (calendar_versions), so every server on it computes from
 * the same days: the file config/calendar/kz.json is stored as a new version at start when it differs
 * from what the file gave last time; PUT /api/calendar stores one at run time; every server takes up a
 * newer version at its next timer poll (refresh) and recomputes, which also corrects a due date that
 * server computed from the older calendar meanwhile. Recomputing is idempotent: it writes only the due
 * dates that differ from what the calendar in force gives.
 *
 * What is not moved: a diagram's timer events (their durations are calendar time, no working days);
 * a task's escalation that already happened (its timer fired); an instance's overall `deadline`.
 */
import { readCalendarData } from '../calendar/business-calendar';
import { CalendarData, CalendarDataError, validateCalendarData } from '../calendar/calendar-config';
import { CalendarInForce, calendarHash } from '../calendar/calendar-in-force';
import type { SpecialDay } from '../calendar/day-rules';
import { isUnstatedTimeLimit } from '../calendar/time-limit';
import { Clock } from '../clock';
import { DomainError } from '../errors';
import type { CalendarVersionRow } from '../persistence/entities';
import type { DueDateMove, SqlCalendarStore } from '../persistence/calendar-store';
import { historyRow } from './history';

export interface CalendarDeployment {
  version: number;
  /** false when the data equals the version in force (nothing stored, nothing moved). */
  changed: boolean;
  deployedAt: string;
  moved: { taskId: string; processInstanceId: string; previousDue: string; due: string; timerId: string | null }[];
}

export class CalendarCorrections {
  constructor(
    private readonly store: SqlCalendarStore,
    /** The calendar the runtime computes due dates with; null when the host was given due dates in code (tests). */
    private readonly inForce: CalendarInForce | null,
    private readonly clock: Clock,
  ) {}

  /** The version in force on this server, with its data. */
  current(): { version: number; data: CalendarData; deployedAt: string | null; source: string | null } {
    const calendar = this.calendarOrThrow();
    return { version: calendar.version.version, data: calendar.version.data, deployedAt: this.deployedAt, source: this.source };
  }

  /** The year's holidays, transfers and data days by the calendar in force (for display). */
  specialDays(year: number): SpecialDay[] {
    return this.calendarOrThrow().calendar.specialDays(year);
  }

  private deployedAt: string | null = null;
  private source: string | null = null;

  /**
   * At start: the calendar file becomes a new version when it differs from what the file gave last
   * time (a correction made through the API stays until the file itself changes); then this server
   * takes the newest version.
   */
  async start(file?: string): Promise<void> {
    if (!this.inForce) return;
    const data = readCalendarData(file);
    const hash = calendarHash(data);
    const fromFile = await this.store.latestFrom('file');
    if (fromFile?.dataHash !== hash) await this.store.save({ data: JSON.stringify(data), dataHash: hash, source: 'file', deployedAt: this.clock.now().toISOString(), deployedBy: null });
    await this.refresh();
  }

  /** Takes up a newer version another server (or the start) stored, and recomputes from it. */
  async refresh(): Promise<void> {
    if (!this.inForce) return;
    const latest = await this.store.latest();
    if (!latest || latest.version === this.inForce.version.version) return;
    this.take(latest);
    await this.recompute();
  }

  /**
   * Deploys calendar data (the file's shape): invalid data is a 400 naming the field and stores
   * nothing; data equal to the version in force changes nothing.
   */
  async deploy(data: unknown, user: string | null): Promise<CalendarDeployment> {
    const inForce = this.calendarOrThrow();
    try {
      validateCalendarData(data);
    } catch (error) {
      if (!(error instanceof CalendarDataError)) throw error;
      throw new DomainError('invalid', 'INVALID_CALENDAR', `Invalid calendar${error.path ? ` at ${error.path}` : ''}: ${error.reason}; nothing was changed`, { field: error.path ?? null, reason: error.reason });
    }
    const hash = calendarHash(data);
    const { row, created } = await this.store.save({ data: JSON.stringify(data), dataHash: hash, source: 'api', deployedAt: this.clock.now().toISOString(), deployedBy: user });
    if (!created && row.version === inForce.version.version) return { version: row.version, changed: false, deployedAt: row.deployedAt, moved: [] };
    this.take(row);
    const moved = await this.recompute();
    return { version: row.version, changed: created, deployedAt: row.deployedAt, moved };
  }

  /** Brings every open task's due date (and pending escalation timer) to what the calendar in force gives. */
  async recompute(): Promise<CalendarDeployment['moved']> {
    const calendar = this.calendarOrThrow();
    const version = calendar.version.version;
    const now = this.clock.now();
    const moves: DueDateMove[] = [];
    for (const { task, timer } of await this.store.datedOpenTasks()) {
      if (!task.timeLimit || isUnstatedTimeLimit(task.timeLimit) || !task.due) continue;
      let due: string;
      let riskFrom: string | undefined;
      try {
        const created = new Date(task.created);
        const dueDate = calendar.due(created, task.timeLimit);
        due = dueDate.toISOString();
        riskFrom = calendar.riskFrom(created, dueDate).toISOString();
      } catch {
        continue; // a limit the calendar cannot count keeps its due date
      }
      if (due === task.due) continue;
      moves.push({
        taskId: task.id,
        previousDue: task.due,
        due,
        riskFrom,
        timer: timer ? { id: timer.id, previousDueAt: timer.dueAt } : null,
        history: historyRow(now, task.processInstanceId, 'due-date-recomputed', task.taskDefinitionKey, null, { taskId: task.id, timerId: timer?.id ?? null, previousDue: task.due, due, timeLimit: task.timeLimit, calendarVersion: version }),
      });
    }
    const written = await this.store.applyMoves(moves);
    return written.map((m) => ({ taskId: m.taskId, processInstanceId: m.history.processInstanceId, previousDue: m.previousDue, due: m.due, timerId: m.timer?.id ?? null }));
  }

  private take(row: CalendarVersionRow): void {
    const data = JSON.parse(row.data) as CalendarData;
    this.inForce!.use({ version: row.version, data, hash: row.dataHash });
    this.deployedAt = row.deployedAt;
    this.source = row.source;
  }

  private calendarOrThrow(): CalendarInForce {
    if (!this.inForce) throw new DomainError('conflict', 'CALENDAR_GIVEN_IN_CODE', 'This server computes due dates with a calendar given in code; it takes no calendar corrections');
    return this.inForce;
  }
}
