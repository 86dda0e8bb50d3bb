import type { ProcessModel } from '../definitions/model';
import { HistoryRow } from '../persistence/entities';
import type { StepOutcome } from '../engine/step';

/**
 * One history row of an instance; `data` is stored as JSON. No element name: every row's element is one of
 * its instance's deployed definition, which never changes, so readers name it with {@link withElementNames}.
 */
export function historyRow(at: Date, instanceId: string, type: string, activityId: string | null, userId: string | null, data?: unknown): HistoryRow {
  return {
    processInstanceId: instanceId,
    at: at.toISOString(),
    type,
    activityId,
    activityName: null,
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
    activityName: null,
    userId: null,
    data: event.data ? JSON.stringify(event.data) : null,
  }));
}

/**
 * An instance's history as its readers show it: each row of an element of the instance's definition with
 * that element's name, and each `activity-end` with the element's type in its data (`type`, bpmn-engine's
 * name of it, e.g. `bpmn:UserTask`). Rows written before names were left out keep the name and type they
 * carry, so old and new rows read alike; a row of no element (the instance's own) stays as it is.
 */
export function withElementNames(rows: readonly HistoryRow[], model: Pick<ProcessModel, 'elements'>): HistoryRow[] {
  return rows.map((row) => {
    const element = row.activityId ? model.elements.get(row.activityId) : undefined;
    if (!element) return row;
    const named = row.activityName === null && element.name !== undefined ? { ...row, activityName: element.name } : row;
    if (row.type !== 'activity-end') return named;
    const data = (row.data ? JSON.parse(row.data) : {}) as Record<string, unknown>;
    return data.type === undefined ? { ...named, data: JSON.stringify({ ...data, type: element.type }) } : named;
  });
}
