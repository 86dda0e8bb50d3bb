import { camundaActivityType } from '../../../src/api/engine-rest/activities';

/*
 * Camunda's activity type names (org.camunda.bpm.engine.ActivityTypes) for the elements of a diagram, as
 * webapps-neo and the Camunda cockpit read them from /process-instance/{id}/activity-instances and
 * /history/activity-instance: the element's type, an event's kind from its event definition.
 */
describe('camundaActivityType', () => {
  const event = (type: string, definition?: string) => ({ $type: type, eventDefinitions: definition ? [{ $type: definition }] : [] });
  it.each([
    [{ $type: 'bpmn:UserTask' }, 'userTask'],
    [{ $type: 'bpmn:ServiceTask' }, 'serviceTask'],
    [{ $type: 'bpmn:CallActivity' }, 'callActivity'],
    [{ $type: 'bpmn:SubProcess' }, 'subProcess'],
    [{ $type: 'bpmn:ExclusiveGateway' }, 'exclusiveGateway'],
    [{ $type: 'bpmn:ParallelGateway' }, 'parallelGateway'],
    [event('bpmn:StartEvent'), 'startEvent'],
    [event('bpmn:StartEvent', 'bpmn:TimerEventDefinition'), 'startTimerEvent'],
    [event('bpmn:EndEvent'), 'noneEndEvent'],
    [event('bpmn:EndEvent', 'bpmn:ErrorEventDefinition'), 'errorEndEvent'],
    [event('bpmn:EndEvent', 'bpmn:TerminateEventDefinition'), 'terminateEndEvent'],
    [event('bpmn:IntermediateCatchEvent', 'bpmn:TimerEventDefinition'), 'intermediateTimer'],
    [event('bpmn:BoundaryEvent', 'bpmn:TimerEventDefinition'), 'boundaryTimer'],
    [event('bpmn:BoundaryEvent', 'bpmn:ErrorEventDefinition'), 'boundaryError'],
    [event('bpmn:IntermediateThrowEvent'), 'intermediateNoneThrowEvent'],
  ])('%j is %s', (element, expected) => {
    expect(camundaActivityType(element, '')).toBe(expected);
  });

  it('falls back to the type the engine reported when the diagram has no such element', () => {
    expect(camundaActivityType(undefined, 'bpmn:UserTask')).toBe('userTask');
  });
});
