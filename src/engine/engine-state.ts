import { Variables } from '../handlers/registry';
import { userVariables } from './process-variables';
import { Snapshot } from './run-scope';
import { ActiveActivity } from './step';

/* What the host reads out of a bpmn-engine Engine: its saved state, where it waits, its variables. */

/** The activities the execution waits in (getPostponed), as the host records them. */
export function postponedActivities(engine: any): ActiveActivity[] {
  return (engine.execution?.getPostponed() ?? []).map((a: any) => ({ id: a.id, name: a.name, type: a.type, executionId: a.executionId }));
}

/** The user variables of every process of the execution, merged. */
export function processVariables(engine: any): Variables {
  const definition = engine.execution?.definitions?.[0];
  const processes = definition?.getProcesses?.() ?? [];
  const merged: Variables = {};
  for (const process of processes) Object.assign(merged, userVariables(process.environment?.variables));
  return merged;
}

/** The execution as it stands, and how many of the run's events and timers had happened by then. */
export function snapshotOf(engine: any, counts: { events: unknown[]; timers: unknown[] }): Snapshot {
  return {
    state: executionStateWithoutSource(engine),
    active: postponedActivities(engine),
    variables: processVariables(engine),
    eventCount: counts.events.length,
    timerCount: counts.timers.length,
  };
}

/** bpmn-engine's version as its states record it; read from the first full getState() of the process. */
let engineVersion: string | undefined;

/**
 * The engine's saved state without the definition source. bpmn-engine's getState() serialises the
 * whole definition into every state (`source`), which the host stores once per deployed version and
 * gives back on recovery; building the state from the execution's parts skips that serialisation
 * (a tenth of a step in the profile, docs/performance.md). Same shape as getState() minus `source`.
 */
export async function stateWithoutSource(engine: any): Promise<unknown> {
  if (engineVersion === undefined) {
    const full = await engine.getState();
    engineVersion = full.engineVersion;
    for (const definition of full.definitions ?? []) {
      delete definition.source;
      withoutDefinitionVariables(definition);
    }
    return full;
  }
  return executionStateWithoutSource(engine);
}

export function executionStateWithoutSource(engine: any): unknown {
  const execution = engine.execution;
  return {
    name: engine.name,
    state: execution.state,
    stopped: execution.stopped,
    engineVersion,
    environment: execution.environment.getState(),
    definitions: execution.definitions.map((definition: any) => withoutDefinitionVariables(definition.getState())),
  };
}

/**
 * bpmn-elements keeps the variables in the definition's environment and again in each process's, and
 * a recovered process takes the definition's, then its own over them: its own are all of them (it got
 * the definition's at its start and only adds), so the definition's copy (the applicant's signed
 * request again) is left out of the state. Recovery is bpmn-elements' own in every version of this
 * server, so a state without the copy reads the same in the previous one (a rolling upgrade), and a
 * state with it, as that version wrote it, reads as before.
 */
function withoutDefinitionVariables(state: any): any {
  if (state?.environment?.variables) state.environment.variables = {};
  return state;
}
