/**
 * Compliance with the legal time limits, per reglament and per step. A step is late when tasks go
 * over their limit: the share over the limit counts the completions finished after their due date
 * and the open tasks already past it, out of every dated task of the step (completed or open). One
 * application 26 times over among 8 makes the step late (1/8), whatever the median says. Beside it
 * the time the completions took in working minutes (median and 90th percentile), also as a share
 * of the limit's working minutes. A step without a stated limit ("not stated") counts only.
 *
 * Median: the middle value (the mean of the two middle ones for an even count). 90th percentile:
 * nearest rank, the value at position ceil(0.9 n) of the sorted list.
 */

export interface CompletedTask {
  processDefinitionKey: string;
  taskDefinitionKey: string;
  name: string | null;
  timeLimit: string | null;
  created: string;
  due: string | null;
  completedAt: string;
}

export interface OpenTask {
  processDefinitionKey: string;
  taskDefinitionKey: string;
  name: string | null;
  timeLimit: string | null;
  due: string | null;
  /** From when the task is at risk (the last share of its limit); null without a due date. */
  riskFrom?: string | null;
}

export interface StepFigures {
  taskDefinitionKey: string;
  name: string | null;
  timeLimit: string | null;
  completed: number;
  /** null when the step has no due date (no stated limit). */
  withinLimit: number | null;
  /** Completions after their due date; null without a limit. */
  completedOverLimit: number | null;
  open: number;
  /** Open tasks past their due date; null without a limit. */
  openOverLimit: number | null;
  /** Open tasks in the last share of their limit, not yet past it; null without a limit. */
  openAtRisk: number | null;
  /** Dated tasks, completed and open: the denominator of overLimitShare. */
  withLimit: number;
  /** (completedOverLimit + openOverLimit) / withLimit; null without a limit. */
  overLimitShare: number | null;
  medianWorkingMinutes: number | null;
  p90WorkingMinutes: number | null;
  /** Working minutes from creation to due date, median over the completions (the allowance). */
  limitWorkingMinutes: number | null;
  medianShareOfLimit: number | null;
  p90ShareOfLimit: number | null;
}

export interface ProcessFigures {
  processDefinitionKey: string;
  completed: number;
  withinLimit: number;
  /** Completed tasks that had a due date. */
  withLimit: number;
  open: number;
  openOverLimit: number;
  openAtRisk: number;
  /** Over the limit, completed or open, out of every dated task; null when no task has a limit. */
  overLimitShare: number | null;
  steps: StepFigures[];
}

export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

export interface SlaInput {
  completed: CompletedTask[];
  open: OpenTask[];
  /** The report's moment (ISO): open tasks due before it are over their limit. */
  now: string;
  workingMinutes: (from: Date, to: Date) => number;
  /** The steps of a reglament in process order (see definitions/flow-order); others follow by key. */
  stepOrder?: (processDefinitionKey: string) => readonly string[];
}

interface StepRows {
  completed: CompletedTask[];
  open: OpenTask[];
}

function stepFigures(taskDefinitionKey: string, rows: StepRows, now: string, workingMinutes: SlaInput['workingMinutes']): StepFigures {
  const first = rows.completed[0] ?? rows.open[0];
  const taken = rows.completed.map((r) => workingMinutes(new Date(r.created), new Date(r.completedAt)));
  const dated = rows.completed.filter((r) => r.due !== null);
  const openDated = rows.open.filter((r) => r.due !== null);
  const allowances = dated.map((r) => workingMinutes(new Date(r.created), new Date(r.due!)));
  const shares = dated.map((r, i) => (allowances[i] > 0 ? workingMinutes(new Date(r.created), new Date(r.completedAt)) / allowances[i] : 0));
  const limited = dated.length + openDated.length > 0;
  const completedOver = dated.filter((r) => r.completedAt > r.due!).length;
  const openOver = openDated.filter((r) => r.due! < now).length;
  const withLimit = dated.length + openDated.length;
  return {
    taskDefinitionKey,
    name: first.name,
    timeLimit: first.timeLimit,
    completed: rows.completed.length,
    withinLimit: limited ? dated.length - completedOver : null,
    completedOverLimit: limited ? completedOver : null,
    open: rows.open.length,
    openOverLimit: limited ? openOver : null,
    openAtRisk: limited ? openDated.filter((r) => r.due! >= now && (r.riskFrom ?? r.due!) <= now).length : null,
    withLimit,
    overLimitShare: limited ? round((completedOver + openOver) / withLimit) : null,
    medianWorkingMinutes: taken.length ? round(median(taken), 1) : null,
    p90WorkingMinutes: taken.length ? round(percentile(taken, 90), 1) : null,
    limitWorkingMinutes: dated.length ? round(median(allowances), 1) : null,
    medianShareOfLimit: dated.length ? round(median(shares)) : null,
    p90ShareOfLimit: dated.length ? round(percentile(shares, 90)) : null,
  };
}

export function slaReport(input: SlaInput): ProcessFigures[] {
  const byProcess = new Map<string, Map<string, StepRows>>();
  const rowsOf = (processKey: string, stepKey: string): StepRows => {
    const steps = byProcess.get(processKey) ?? new Map<string, StepRows>();
    byProcess.set(processKey, steps);
    const rows = steps.get(stepKey) ?? { completed: [], open: [] };
    steps.set(stepKey, rows);
    return rows;
  };
  for (const task of input.completed) rowsOf(task.processDefinitionKey, task.taskDefinitionKey).completed.push(task);
  for (const task of input.open) rowsOf(task.processDefinitionKey, task.taskDefinitionKey).open.push(task);

  const result: ProcessFigures[] = [];
  for (const [processDefinitionKey, steps] of [...byProcess].sort(([a], [b]) => a.localeCompare(b))) {
    const order = input.stepOrder?.(processDefinitionKey) ?? [];
    const position = (key: string) => (order.includes(key) ? order.indexOf(key) : order.length);
    const keys = [...steps.keys()].sort((a, b) => position(a) - position(b) || a.localeCompare(b));
    const figures = keys.map((key) => stepFigures(key, steps.get(key)!, input.now, input.workingMinutes));
    const sum = (pick: (s: StepFigures) => number | null) => figures.reduce((n, s) => n + (pick(s) ?? 0), 0);
    const dated = sum((s) => s.withLimit);
    const completedWithDue = [...steps.values()].flatMap((r) => r.completed).filter((r) => r.due !== null).length;
    result.push({
      processDefinitionKey,
      completed: sum((s) => s.completed),
      withLimit: completedWithDue,
      withinLimit: sum((s) => s.withinLimit),
      open: sum((s) => s.open),
      openOverLimit: sum((s) => s.openOverLimit),
      openAtRisk: sum((s) => s.openAtRisk),
      overLimitShare: dated ? round((sum((s) => s.completedOverLimit) + sum((s) => s.openOverLimit)) / dated) : null,
      steps: figures,
    });
  }
  return result;
}
