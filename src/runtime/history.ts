import { HistoryRow } from '../persistence/entities';
import type { StepOutcome } from '../engine/step';

/** One history row of an instance; `data` is stored as JSON. */
export function historyRow(at: Date, instanceId: string, type: string, activityId: string | null, activityName: string | null | undefined, userId: string | null, data?: unknown): HistoryRow {
  return {
    processInstanceId: instanceId,
    at: at.toISOString(),
    type,
    activityId,
    activityName: activityName ?? null,
    userId,
    data: data === undefined ? null : JSON.stringify(data),
  };
}

/** The engine's events of a step (activities ended, flows taken, services completed, business errors), each at its own time. */
export function stepEventHistory(instanceId: string, outcome: StepOutcome): HistoryRow[] {
  return outcome.events.map((event) => ({
    processInstanceId: instanceId,
    at: event.at.toISOString(),
    type: event.type,
    activityId: event.activityId,
    activityName: event.activityName ?? null,
    userId: null,
    data: event.data ? JSON.stringify(event.data) : null,
  }));
}
