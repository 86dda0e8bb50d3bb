import { HistoryRow } from './entities';

/**
 * How the sequence flows a step took are stored (issue 19 point 5, docs/performance.md). The engine
 * takes an element's outgoing flows right after the element ends, so a `flow-taken` row follows
 * the `activity-end` row of the element it leaves: ~15 rows per application, each with its instance
 * id, time and index entry for a flow id. They are stored in that `activity-end` row instead, as
 * `data.flows` (a flow id, or `[flow id, milliseconds after the end]` when it was taken later, as a
 * gateway's after evaluating its conditions), and read back as the rows they were, in their order,
 * with their times; the id of a read-back flow row is its `activity-end` row's. A `flow-taken` row
 * that does not follow an `activity-end` of its instance is stored as it is, as are rows written
 * before this form, so every reader gets the same history from either.
 */
type StoredFlow = string | [string, number];

/** The rows of one write with each flow folded into the `activity-end` row it follows. */
export function foldFlows(rows: readonly HistoryRow[]): HistoryRow[] {
  const out: HistoryRow[] = [];
  /** The activity-end row (a copy in `out`) that the next flow of its instance may join, with its flows. */
  let open: { row: HistoryRow; flows: StoredFlow[]; data: Record<string, unknown> } | undefined;
  for (const row of rows) {
    if (row.type === 'flow-taken' && row.activityId && open && open.row.processInstanceId === row.processInstanceId && row.userId === null && row.data === null) {
      const later = Date.parse(row.at) - Date.parse(open.row.at);
      open.flows.push(later === 0 ? row.activityId : [row.activityId, later]);
      open.row.data = JSON.stringify({ ...open.data, flows: open.flows });
      continue;
    }
    const copy = { ...row };
    out.push(copy);
    // Only where reading back gives the row's data exactly: none, or an object without flows.
    const data = row.type === 'activity-end' ? parsed(row.data) : undefined;
    open = data && !('flows' in data) && (row.data === null || Object.keys(data).length > 0) ? { row: copy, flows: [], data } : undefined;
  }
  return out;
}

/** Stored rows as they were written: each folded flow again a `flow-taken` row after its `activity-end`. */
export function unfoldFlows<T extends HistoryRow>(rows: readonly T[]): T[] {
  const out: T[] = [];
  for (const row of rows) {
    const data = row.type === 'activity-end' ? parsed(row.data) : undefined;
    const flows = data?.flows;
    if (!data || !Array.isArray(flows)) {
      out.push(row);
      continue;
    }
    const { flows: _flows, ...rest } = data;
    out.push({ ...row, data: Object.keys(rest).length > 0 ? JSON.stringify(rest) : null });
    const end = Date.parse(row.at);
    for (const flow of flows as StoredFlow[]) {
      const [activityId, later] = typeof flow === 'string' ? [flow, 0] : flow;
      out.push({ ...row, type: 'flow-taken', activityId, activityName: null, userId: null, data: null, at: later === 0 ? row.at : new Date(end + later).toISOString() });
    }
  }
  return out;
}

function parsed(data: string | null): Record<string, unknown> | undefined {
  if (data === null) return {};
  try {
    const value: unknown = JSON.parse(data);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
