import { randomUUID } from 'node:crypto';
import { TaskRow } from '../persistence/entities';
import { Changes } from '../persistence/unit-of-work';
import { historyRow } from '../runtime/history';

/**
 * A task entered the last share of its limit (its riskFrom passed) while open: it is warned once
 * (the transition finds warnedAt still empty, so of several servers one commits), the history
 * records it and `notified` (the group the overdue notification goes to, see escalationGroup) gets
 * an "at risk" notification. A task already past its due date is only marked: the overdue
 * notification says more, and a late warning would come after it.
 */
export function atRiskWarning(task: TaskRow, notified: string, now: Date): Changes {
  const at = now.toISOString();
  const warned: Changes = { taskTransitions: [{ id: task.id, expectedState: 'open-not-warned', patch: { warnedAt: at } }] };
  if (!task.due || task.due <= at) return warned;
  return {
    ...warned,
    history: [historyRow(now, task.processInstanceId, 'task-at-risk', task.taskDefinitionKey, null, { taskId: task.id, due: task.due, riskFrom: task.riskFrom, timeLimit: task.timeLimit, notified })],
    notifications: [
      {
        id: randomUUID(),
        groupId: notified,
        userId: null,
        type: 'task-at-risk',
        message: `«${task.name ?? task.taskDefinitionKey}» (${task.processDefinitionKey}${task.businessKey ? `, ${task.businessKey}` : ''}) is at risk: its legal time limit of ${task.timeLimit} runs out at ${task.due}${task.assignee ? `; claimed by ${task.assignee}` : '; not claimed'}`,
        processInstanceId: task.processInstanceId,
        taskId: task.id,
        createdAt: at,
        readAt: null,
        readBy: null,
      },
    ],
  };
}
