/**
 * The head's list of late applications: every open task at risk (in the last share of its limit)
 * or overdue, with what a head acts on: the case, the applicant, the step, who holds it, and how
 * far over (or how little left) in working minutes.
 */

export interface LateTaskInput {
  task: {
    id: string;
    processInstanceId: string;
    processDefinitionKey: string;
    taskDefinitionKey: string;
    name: string | null;
    businessKey: string | null;
    assignee: string | null;
    created: string;
    due: string | null;
    timeLimit: string | null;
  };
  groups: string[];
  instance: {
    id: string;
    processDefinitionKey: string;
    rootProcessDefinitionKey?: string | null;
    businessKey: string | null;
    variables: string;
    /** The case list's applicant projection on the instance row, when the row has it. */
    applicantName?: unknown;
    applicantIinBin?: unknown;
  };
}

export interface LatenessEntry {
  taskId: string;
  taskDefinitionKey: string;
  stepName: string | null;
  /** The reglament the application is for (the caller's, for a task of a shared flow). */
  processDefinitionKey: string;
  processInstanceId: string;
  businessKey: string | null;
  applicantName: string | null;
  applicantIinBin: string | null;
  /** null: nobody claimed it; candidateGroups say who may. */
  assignee: string | null;
  candidateGroups: string[];
  created: string;
  due: string;
  timeLimit: string | null;
  state: 'overdue' | 'at-risk';
  /** Working minutes past the due date (overdue), else 0. */
  workingMinutesOver: number;
  /** Working minutes until the due date (at risk), else 0. */
  workingMinutesLeft: number;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** The applicant from the instance row's own columns when it has them, otherwise from its variables. */
export function applicantOf(instance: LateTaskInput['instance']): { name: string | null; iinBin: string | null } {
  let variables: Record<string, unknown> = {};
  try {
    variables = JSON.parse(instance.variables) as Record<string, unknown>;
  } catch {
    // A row without readable variables still lists its case.
  }
  return {
    name: text(instance.applicantName) ?? text(variables.applicantName),
    iinBin: text(instance.applicantIinBin) ?? text(variables.applicantIinBin),
  };
}

export function latenessEntry({ task, groups, instance }: LateTaskInput, now: Date, workingMinutes: (from: Date, to: Date) => number): LatenessEntry {
  const due = task.due ?? now.toISOString();
  const overdue = new Date(due).getTime() < now.getTime();
  const applicant = applicantOf(instance);
  const minutes = Math.round(Math.abs(overdue ? workingMinutes(new Date(due), now) : workingMinutes(now, new Date(due))));
  return {
    taskId: task.id,
    taskDefinitionKey: task.taskDefinitionKey,
    stepName: task.name,
    processDefinitionKey: instance.rootProcessDefinitionKey ?? instance.processDefinitionKey,
    processInstanceId: task.processInstanceId,
    businessKey: task.businessKey ?? instance.businessKey,
    applicantName: applicant.name,
    applicantIinBin: applicant.iinBin,
    assignee: task.assignee,
    candidateGroups: groups,
    created: task.created,
    due,
    timeLimit: task.timeLimit,
    state: overdue ? 'overdue' : 'at-risk',
    workingMinutesOver: overdue ? minutes : 0,
    workingMinutesLeft: overdue ? 0 : minutes,
  };
}
