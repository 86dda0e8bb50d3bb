import { DomainError } from '../errors';
import { RunScope } from './run-scope';
import { RunawayGuard } from './runaway-guard';
import { StepCommand } from './step';

/* Delivering a command to an engine, and waiting until the step has settled. */

/**
 * Starts, resumes or signals the engine as the command says; the engine runs on synchronously from
 * here. `recovered`: the engine is new and must first be recovered from the command's state.
 * Throws NOT_WAITING (a conflict) when the signalled activity does not wait.
 */
export async function deliver(engine: any, listener: unknown, command: StepCommand, recovered: boolean, instanceId: string): Promise<void> {
  if (command.kind === 'start') {
    await engine.execute({ listener, variables: command.variables });
    return;
  }
  // A worker's report: the waiting service task runs again on the recovered execution and takes it (handler-bridge).
  if (command.kind === 'resume' || command.kind === 'external') {
    engine.recover(JSON.parse(command.engineState));
    await engine.resume({ listener });
    return;
  }
  if (recovered) {
    engine.recover(JSON.parse(command.engineState));
    await engine.resume({ listener });
  }
  const target = engine.execution?.getPostponed().find((a: any) => a.executionId === command.executionId || a.id === command.activityId);
  if (!target && command.kind !== 'timer') {
    throw new DomainError('conflict', 'NOT_WAITING', `Activity "${command.activityId}" of instance ${instanceId} is not waiting`);
  }
  if (command.kind === 'timer' && !target) {
    // bpmn-elements completes a timer whose expiry (by the real time) passed while the
    // instance was resumed: the event already fired in this step, as the host's row said it should.
  } else if (command.kind === 'signal') {
    engine.execution.signal({ id: command.activityId, executionId: command.executionId, variables: command.variables });
  } else if (command.kind === 'error') {
    // The child's variables come back before the error is routed, as with a normal end.
    for (const process of engine.execution?.definitions?.[0]?.getProcesses?.() ?? []) Object.assign(process.environment.variables, command.variables);
    target.sendApiMessage('error', { message: command.message, code: command.code, name: 'BpmnError' });
  } else {
    // Cancelling a timer event completes it: the event fires (bpmn-elements TimerEventDefinition).
    // Addressed by element id: the timer definition listens on its own sub-execution id, not the event's.
    engine.execution.cancelActivity({ id: command.activityId });
  }
}

/**
 * Waits until no handler is running and the engine is no longer executing, or until the run fails
 * (an abort, a refused script) or runs out of time (STEP_TIMEOUT_MS, a 422 that names what still runs).
 */
export async function settle(engine: any, scope: RunScope, startedAt: number, guard: RunawayGuard): Promise<void> {
  const { inFlight } = scope;
  const progress = () => scope.events.length + scope.timers.length;
  // A service task waiting for an external worker keeps the engine "executing": that is a wait too.
  // With no handler in flight, an executing service task is one that waits for a worker (a kept engine began it in an earlier step).
  const waitsForWorker = () => scope.externalWaits.size > 0 || (engine.execution?.getPostponed() ?? []).some((a: any) => a.type === 'bpmn:ServiceTask');
  const quiet = () => inFlight.size === 0 && (engine.state !== 'running' || engine.activityStatus !== 'executing' || waitsForWorker());
  const deadline = startedAt + guard.timeoutMs;
  let idleRounds = 0;
  while (!scope.failure) {
    if (Date.now() >= deadline) {
      scope.failure = guard.failure(scope, 'time');
      return;
    }
    const before = progress();
    if (inFlight.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...inFlight]), new Promise((resolve) => (timer = setTimeout(resolve, deadline - Date.now())))]);
      clearTimeout(timer);
      continue;
    }
    await new Promise((resolve) => setImmediate(resolve));
    if (!quiet()) {
      // Executing with nothing in flight and nothing happening: the engine is stuck, not looping.
      idleRounds = progress() === before ? idleRounds + 1 : 0;
      if (idleRounds >= 10_000) throw new DomainError('internal', 'ENGINE_STALLED', 'The engine kept executing without reaching a wait state');
      continue;
    }
    // Quiet once is not enough: part of bpmn-elements' work (e.g. routing an error to a boundary
    // event) may still be queued behind a timer tick. Settled means still quiet, with no new
    // event, after one more macrotask.
    const seen = progress();
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (quiet() && progress() === seen) return;
  }
}
