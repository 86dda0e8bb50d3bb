import { EventEmitter } from 'node:events';
import { DomainError } from '../errors';
import { timerValueProblem, TimerType } from '../calendar/timer-values';
import { RunScope } from './run-scope';
import { RunawayGuard } from './runaway-guard';
import { ArmedTimer } from './step';

/**
 * The engine's listener: collects what a step did (activities ended, flows taken, the last end
 * event), the timers it armed, and counts transitions for the runaway guard. A kept engine keeps
 * its listener, so it reports to whichever run `scope()` names now.
 */
export function createStepListener(scope: () => RunScope, guard: RunawayGuard, now: () => Date): EventEmitter {
  const listener = new EventEmitter();
  listener.on('activity.end', (api: any) => {
    // No name or type: the history reads both from the deployed definition (runtime/history.ts).
    scope().events.push({ at: now(), type: 'activity-end', activityId: api.id });
    if (api.type === 'bpmn:EndEvent') scope().lastEndEvent = api.id;
  });
  listener.on('activity.start', (api: any) => guard.count(scope(), api.id));
  listener.on('activity.timer', (api: any) => {
    const content = api.content ?? {};
    const run = scope();
    run.failure ??= timerProblem(api.id, content);
    run.timers.push(armedTimer(api, content));
  });
  listener.on('flow.take', (api: any) => {
    scope().events.push({ at: now(), type: 'flow-taken', activityId: api.id });
    guard.count(scope(), api.id);
  });
  return listener;
}

function armedTimer(api: any, content: Record<string, any>): ArmedTimer {
  return {
    activityId: api.id,
    executionId: content.parent?.executionId ?? api.executionId,
    timerType: content.timerType,
    ...(typeof content.timeDuration === 'string' ? { timeDuration: content.timeDuration } : {}),
    ...(content.expireAt ? { expireAt: new Date(content.expireAt) } : {}),
  };
}

/** What a timer event resolved to, checked: a timer that would fire at once or for ever fails the step. */
export function timerProblem(activityId: string, content: Record<string, unknown>): DomainError | undefined {
  for (const type of ['timeDuration', 'timeDate', 'timeCycle'] as TimerType[]) {
    if (!(type in content)) continue;
    const problem = content.repeat === -1 && type === 'timeCycle' ? `Timer cycle "${String(content[type])}" repeats without end` : timerValueProblem(type, content[type]);
    if (problem) return new DomainError('unprocessable', 'INVALID_TIMER', `Timer event "${activityId}": ${problem}; nothing was stored`, { activityId, [type]: content[type] });
  }
  return undefined;
}
