import { HistoryRow } from './entities';

/**
 * How the engine's rows of a step are stored (issue 19 point 5, docs/performance.md). The engine takes
 * an element's outgoing flows right after the element ends, and an element ends right after the row
 * that says why (its task completed, its service answered, its called flow came back), or, for an end
 * event, right before its instance completes. Each such row was a row of its own (~30 per
 * application, each with its instance id, time and index entry); they are stored in the row they
 * follow or precede instead, and read back as the rows they were, in their order, with their times:
 *
 * - a `flow-taken` in the `activity-end` it follows, or in the row that holds that end: `flows` (a
 *   flow id, or `[flow id, milliseconds after the end]` when taken later, as a gateway's after its
 *   conditions);
 * - an `activity-end` that follows a `task-completed`, `service-completed` or `call-completed` row of
 *   the same element, in that row: `end` (`[milliseconds after that row, ...its flows]`);
 * - an end event's `activity-end` that precedes its `instance-completed`, in that row: `endedBefore`
 *   (milliseconds).
 *
 * A read-back row gets the id of the row it is stored in. A row that is not in one of these places,
 * and rows stored before this form, stay rows, so every reader gets the same history from either.
 */
type StoredFlow = string | [string, number];

const END_HOSTS = new Set(['task-completed', 'service-completed', 'call-completed']);

/** The rows of one write, each engine row folded where it can be. */
export function foldFlows(rows: readonly HistoryRow[]): HistoryRow[] {
  const out: HistoryRow[] = [];
  /** Where the next flow of the instance may go: the end it would follow, and the list it joins. */
  let sink: { instanceId: string; endAt: string; flows: StoredFlow[]; write: () => void } | undefined;
  /** The row an activity-end may go into: a row saying why that element ends. */
  let host: { row: HistoryRow; data: Record<string, unknown> } | undefined;
  for (const row of rows) {
    const bare = row.activityName === null && row.userId === null;
    if (row.type === 'flow-taken' && row.activityId && bare && row.data === null && sink?.instanceId === row.processInstanceId) {
      const later = Date.parse(row.at) - Date.parse(sink.endAt);
      sink.flows.push(later === 0 ? row.activityId : [row.activityId, later]);
      sink.write();
      continue;
    }
    if (row.type === 'activity-end' && bare && row.data === null && host && host.row.processInstanceId === row.processInstanceId && host.row.activityId === row.activityId) {
      const target = host;
      const end: (number | StoredFlow)[] = [Date.parse(row.at) - Date.parse(target.row.at)];
      const write = () => (target.row.data = JSON.stringify({ ...target.data, end }));
      write();
      sink = { instanceId: row.processInstanceId, endAt: row.at, flows: end as StoredFlow[], write };
      host = undefined;
      continue;
    }
    const previous = out[out.length - 1];
    if (row.type === 'instance-completed' && row.activityId && previous?.type === 'activity-end' && previous.activityId === row.activityId && previous.processInstanceId === row.processInstanceId && previous.data === null && previous.activityName === null && previous.userId === null) {
      const data = objectOf(row.data);
      if (data && !('endedBefore' in data) && (row.data === null || Object.keys(data).length > 0)) {
        out[out.length - 1] = { ...row, data: JSON.stringify({ ...data, endedBefore: Date.parse(row.at) - Date.parse(previous.at) }) };
        sink = host = undefined;
        continue;
      }
    }
    const copy = { ...row };
    out.push(copy);
    sink = host = undefined;
    // Only where reading back gives the row's data exactly: none, or an object without the added key.
    const data = objectOf(row.data);
    const exact = data && (row.data === null || Object.keys(data).length > 0);
    if (row.type === 'activity-end' && exact && !('flows' in data)) {
      const flows: StoredFlow[] = [];
      sink = { instanceId: row.processInstanceId, endAt: row.at, flows, write: () => (copy.data = JSON.stringify({ ...data, flows })) };
    } else if (END_HOSTS.has(row.type) && row.activityId && exact && !('end' in data)) {
      host = { row: copy, data };
    }
  }
  return out;
}

/** Stored rows as they were written: each folded row again a row of its own, in its place. */
export function unfoldFlows<T extends HistoryRow>(rows: readonly T[]): T[] {
  const out: T[] = [];
  const flowRows = (from: T, endAt: string, flows: readonly StoredFlow[]) => {
    for (const flow of flows) {
      const [activityId, later] = typeof flow === 'string' ? [flow, 0] : flow;
      out.push({ ...from, type: 'flow-taken', activityId, activityName: null, userId: null, data: null, at: shifted(endAt, later) });
    }
  };
  for (const row of rows) {
    const data = objectOf(row.data);
    if (row.type === 'activity-end' && data && Array.isArray(data.flows)) {
      const { flows, ...rest } = data;
      out.push({ ...row, data: textOf(rest) });
      flowRows(row, row.at, flows as StoredFlow[]);
    } else if (END_HOSTS.has(row.type) && data && Array.isArray(data.end)) {
      const { end, ...rest } = data;
      const [after, ...flows] = end as [number, ...StoredFlow[]];
      out.push({ ...row, data: textOf(rest) });
      const endAt = shifted(row.at, after);
      out.push({ ...row, type: 'activity-end', activityName: null, userId: null, data: null, at: endAt });
      flowRows(row, endAt, flows);
    } else if (row.type === 'instance-completed' && data && typeof data.endedBefore === 'number') {
      const { endedBefore, ...rest } = data;
      out.push({ ...row, type: 'activity-end', activityName: null, userId: null, data: null, at: shifted(row.at, -endedBefore) });
      out.push({ ...row, data: textOf(rest) });
    } else {
      out.push(row);
    }
  }
  return out;
}

function shifted(at: string, ms: number): string {
  return ms === 0 ? at : new Date(Date.parse(at) + ms).toISOString();
}

function textOf(data: Record<string, unknown>): string | null {
  return Object.keys(data).length > 0 ? JSON.stringify(data) : null;
}

function objectOf(data: string | null): Record<string, unknown> | undefined {
  if (data === null) return {};
  try {
    const value: unknown = JSON.parse(data);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
