import { randomUUID } from 'node:crypto';
import type { ProcessModel } from '../definitions/model';
import { ADMIN_GROUP, HEAD_GROUP } from '../identity/access';
import { TaskRow, TimerRow } from '../persistence/entities';
import { Changes } from '../persistence/unit-of-work';
import { historyRow } from '../runtime/history';

/** Overdue tasks are reported to the head of the provider (the lane group of the head), or to admins when the diagram has no head lane. */
export function escalationGroup(model: Pick<ProcessModel, 'lanes'>): string {
  return model.lanes.find((lane) => lane.group === HEAD_GROUP)?.group ?? ADMIN_GROUP;
}

/**
 * A task's due timer fired. If the task is still open and not yet escalated (`overdue`, see
 * {@link isOverdue}) it is flagged (under compare-and-set, so exactly once), the history records it
 * and the `notified` group gets a notification; otherwise the timer simply ends.
 */
export function escalation(timer: TimerRow, overdue: { task: TaskRow; notified: string } | null, now: Date): Changes {
  const at = now.toISOString();
  const fired: Changes = { timerTransitions: [{ id: timer.id, patch: { state: 'fired', firedAt: at } }] };
  if (!overdue) return fired;
  const { task, notified } = overdue;
  return {
    ...fired,
    taskTransitions: [{ id: task.id, expectedState: 'open-not-escalated', patch: { escalatedAt: at } }],
    history: [historyRow(now, task.processInstanceId, 'task-overdue', task.taskDefinitionKey, null, { taskId: task.id, due: task.due, timeLimit: task.timeLimit, notified })],
    notifications: [
      {
        id: randomUUID(),
        groupId: notified,
        userId: null,
        type: 'task-overdue',
        message: `«${task.name ?? task.taskDefinitionKey}» (${task.processDefinitionKey}${task.businessKey ? `, ${task.businessKey}` : ''}) passed its legal time limit of ${task.timeLimit} at ${task.due}${task.assignee ? `; claimed by ${task.assignee}` : '; not claimed'}`,
        processInstanceId: task.processInstanceId,
        taskId: task.id,
        createdAt: at,
        readAt: null,
        readBy: null,
      },
    ],
  };
}

/** A task whose due timer fired escalates when it is still open and was not escalated before. */
export function isOverdue(task: TaskRow | null): task is TaskRow {
  return !!task && task.state === 'open' && !task.escalatedAt;
}
