import { EngineExtension } from './engine-factory';

const ACTIVITY_TYPES_WAITING_FOR_HOST = new Set(['bpmn:UserTask', 'bpmn:CallActivity', 'bpmn:ManualTask', 'bpmn:ReceiveTask']);

/**
 * The engine extension for activities that wait for the host: the signal that completes a user task
 * (or resumes a call activity) carries the variables; they become process variables before the
 * outgoing flows are evaluated.
 */
export const assignTaskVariables: EngineExtension = (activity) => {
  if (!ACTIVITY_TYPES_WAITING_FOR_HOST.has(activity.type)) return;
  activity.on('end', (api: any) => {
    const assigned = api.content?.output?.variables;
    if (assigned && typeof assigned === 'object') Object.assign(activity.environment.variables, assigned);
  });
};
