import { HistoryRow } from './entities';

/**
 * How the engine's rows of a step are stored (issue 19 point 5, docs/performance.md). The engine takes
 * an element's outgoing flows right after the element ends, and the next element on the way ends
 * right after that (a gateway, a merge), or after the row that says why it ended (its task
 * completed, its service answered, its called flow came back); an end event ends right before its
 * instance completes. Each of these was a row of its own (~30 per application, each with its
 * instance id, time and index entry); they are stored in the row they follow instead, and read back
 * as the rows they were, in their order, with their times:
 *
 * - `flows` of an `activity-end` row: the flows taken after it (a flow id, or `[flow id,
 *   milliseconds after the end]` when taken later, as a gateway's after its conditions);
 * - `end` of a `task-completed`, `service-completed` or `call-completed` row: the end of its own
 *   element, `[milliseconds after the row, ...its flows]`;
 * - `then` of any row: the elements that ended next, `[milliseconds after the previous end (or the
 *   row), element id, ...its flows]` each;
 * - `endedBefore` of an `instance-completed` row: its end event's end that was the row before.
 *
 * A read-back row gets the id of the row it is stored in. Only rows of the same instance written
 * together are folded, only engine rows (no user, no name, no data of their own), and only into a
 * row whose data reads back exactly; everything else, and rows stored before this form, stay rows,
 * so every reader gets the same history from either.
 */
type StoredFlow = string | [string, number];

const END_HOSTS = new Set(['task-completed', 'service-completed', 'call-completed']);
const ADDED_KEYS = ['flows', 'end', 'then', 'endedBefore'];

/** The stored row that takes the engine rows following it, and where the next flow goes. */
interface Chain {
  row: HistoryRow;
  /** The row's data as written. */
  data: Record<string, unknown>;
  /** An activity-end row's own flows. */
  ownFlows: StoredFlow[];
  end?: (number | StoredFlow)[];
  then: (number | StoredFlow)[][];
  /** The element whose own end may come next (a completion's), stored as `end`. */
  ownEnd: string | null;
  /** When the last end stored here happened (the row's time before any). */
  lastEndAt: string;
  /** The flows of the last end stored here; none before the first end. */
  flows: StoredFlow[] | undefined;
}

/** The rows of one write, each engine row folded where it can be. */
export function foldFlows(rows: readonly HistoryRow[]): HistoryRow[] {
  const out: HistoryRow[] = [];
  let chain: Chain | undefined;
  const write = (c: Chain) => (c.row.data = JSON.stringify({ ...c.data, ...(c.ownFlows.length > 0 ? { flows: c.ownFlows } : {}), ...(c.end ? { end: c.end } : {}), ...(c.then.length > 0 ? { then: c.then } : {}) }));
  for (const row of rows) {
    const engineRow = row.activityId !== null && row.activityName === null && row.userId === null && row.data === null;
    const same = chain?.row.processInstanceId === row.processInstanceId;
    if (chain && same && engineRow && row.type === 'flow-taken' && chain.flows) {
      const later = Date.parse(row.at) - Date.parse(chain.lastEndAt);
      chain.flows.push(later === 0 ? row.activityId! : [row.activityId!, later]);
      write(chain);
      continue;
    }
    if (chain && same && engineRow && row.type === 'activity-end') {
      const after = Date.parse(row.at) - Date.parse(chain.lastEndAt);
      if (chain.ownEnd === row.activityId) {
        chain.end = [after];
        chain.flows = chain.end as StoredFlow[];
      } else {
        const entry: (number | StoredFlow)[] = [after, row.activityId!];
        chain.then.push(entry);
        chain.flows = entry as StoredFlow[];
      }
      chain.ownEnd = null;
      chain.lastEndAt = row.at;
      write(chain);
      continue;
    }
    const previous = out[out.length - 1];
    if (row.type === 'instance-completed' && row.activityId && previous?.type === 'activity-end' && previous.activityId === row.activityId && previous.processInstanceId === row.processInstanceId && previous.data === null && previous.activityName === null && previous.userId === null) {
      const data = exactObject(row.data);
      if (data) {
        out[out.length - 1] = { ...row, data: JSON.stringify({ ...data, endedBefore: Date.parse(row.at) - Date.parse(previous.at) }) };
        chain = undefined;
        continue;
      }
    }
    const copy = { ...row };
    out.push(copy);
    const data = row.type === 'flow-taken' ? undefined : exactObject(row.data);
    if (!data) chain = undefined;
    else {
      const ownFlows: StoredFlow[] = [];
      chain = { row: copy, data, ownFlows, then: [], ownEnd: END_HOSTS.has(row.type) ? row.activityId : null, lastEndAt: row.at, flows: row.type === 'activity-end' ? ownFlows : undefined };
    }
  }
  return out;
}

/** Stored rows as they were written: each folded row again a row of its own, in its place. */
export function unfoldFlows<T extends HistoryRow>(rows: readonly T[]): T[] {
  const out: T[] = [];
  for (const row of rows) {
    const data = objectOf(row.data);
    if (!data || !ADDED_KEYS.some((key) => key in data)) {
      out.push(row);
      continue;
    }
    const { flows, end, then, endedBefore, ...rest } = data as { flows?: StoredFlow[]; end?: [number, ...StoredFlow[]]; then?: [number, string, ...StoredFlow[]][]; endedBefore?: number };
    const engineRow = (type: string, activityId: string | null, at: string): T => ({ ...row, type, activityId, activityName: null, userId: null, data: null, at });
    const flowRows = (endAt: string, taken: readonly StoredFlow[]) => {
      for (const flow of taken) {
        const [activityId, later] = typeof flow === 'string' ? [flow, 0] : flow;
        out.push(engineRow('flow-taken', activityId, shifted(endAt, later)));
      }
    };
    if (typeof endedBefore === 'number') out.push(engineRow('activity-end', row.activityId, shifted(row.at, -endedBefore)));
    out.push({ ...row, data: textOf(rest) });
    let lastEndAt = row.at;
    if (Array.isArray(flows)) flowRows(row.at, flows);
    if (Array.isArray(end)) {
      const [after, ...taken] = end;
      lastEndAt = shifted(row.at, after);
      out.push(engineRow('activity-end', row.activityId, lastEndAt));
      flowRows(lastEndAt, taken);
    }
    for (const [after, activityId, ...taken] of Array.isArray(then) ? then : []) {
      lastEndAt = shifted(lastEndAt, after);
      out.push(engineRow('activity-end', activityId, lastEndAt));
      flowRows(lastEndAt, taken);
    }
  }
  return out;
}

/** The row's data as an object, when writing it back gives the row's data exactly and it has none of the added keys. */
function exactObject(text: string | null): Record<string, unknown> | undefined {
  const data = objectOf(text);
  if (!data || (text !== null && Object.keys(data).length === 0) || ADDED_KEYS.some((key) => key in data)) return undefined;
  return data;
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
