/**
 * Compliance with the legal time limits, per reglament and per step: how many tasks were
 * completed, how many within their limit (completed at or before the due date), and the time they
 * took in working minutes (median and 90th percentile), also as a share of the limit's working
 * minutes. A step without a stated limit ("not stated") counts completions and times only.
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

export interface StepFigures {
  taskDefinitionKey: string;
  name: string | null;
  timeLimit: string | null;
  completed: number;
  /** null when the step has no due date (no stated limit). */
  withinLimit: number | null;
  medianWorkingMinutes: number;
  p90WorkingMinutes: number;
  /** Working minutes from creation to due date, median over the tasks (the allowance). */
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

export function slaReport(tasks: CompletedTask[], workingMinutes: (from: Date, to: Date) => number): ProcessFigures[] {
  const byProcess = new Map<string, Map<string, CompletedTask[]>>();
  for (const task of tasks) {
    const steps = byProcess.get(task.processDefinitionKey) ?? new Map<string, CompletedTask[]>();
    steps.set(task.taskDefinitionKey, [...(steps.get(task.taskDefinitionKey) ?? []), task]);
    byProcess.set(task.processDefinitionKey, steps);
  }
  const result: ProcessFigures[] = [];
  for (const [processDefinitionKey, steps] of [...byProcess].sort(([a], [b]) => a.localeCompare(b))) {
    const figures: StepFigures[] = [];
    for (const [taskDefinitionKey, rows] of [...steps].sort(([a], [b]) => a.localeCompare(b))) {
      const taken = rows.map((r) => workingMinutes(new Date(r.created), new Date(r.completedAt)));
      const dated = rows.filter((r) => r.due !== null);
      const allowances = dated.map((r) => workingMinutes(new Date(r.created), new Date(r.due!)));
      const shares = dated.map((r, i) => (allowances[i] > 0 ? workingMinutes(new Date(r.created), new Date(r.completedAt)) / allowances[i] : 0));
      figures.push({
        taskDefinitionKey,
        name: rows[0].name,
        timeLimit: rows[0].timeLimit,
        completed: rows.length,
        withinLimit: dated.length === 0 ? null : dated.filter((r) => r.completedAt <= r.due!).length,
        medianWorkingMinutes: round(median(taken), 1),
        p90WorkingMinutes: round(percentile(taken, 90), 1),
        limitWorkingMinutes: dated.length === 0 ? null : round(median(allowances), 1),
        medianShareOfLimit: dated.length === 0 ? null : round(median(shares)),
        p90ShareOfLimit: dated.length === 0 ? null : round(percentile(shares, 90)),
      });
    }
    const all = [...steps.values()].flat();
    const withDue = all.filter((r) => r.due !== null);
    result.push({
      processDefinitionKey,
      completed: all.length,
      withLimit: withDue.length,
      withinLimit: withDue.filter((r) => r.completedAt <= r.due!).length,
      steps: figures,
    });
  }
  return result;
}
