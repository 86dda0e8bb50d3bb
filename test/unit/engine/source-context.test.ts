import { parseBpmn } from '../../../src/definitions/parse';
import { sourceContextOf } from '../../../src/engine/source-context';
import { StepRunner } from '../../../src/engine/step-runner';
import { HandlerRegistry } from '../../../src/handlers/registry';

/* The engine runs from the deployed version's one parse (definitions/parse.ts), serialised once. */
const XML = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="http://reglament.kz/test">
  <bpmn:process id="one-task" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <bpmn:userTask id="review" camunda:candidateGroups="office" />
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="done" />
    <bpmn:endEvent id="done" />
  </bpmn:process>
</bpmn:definitions>`;

describe('sourceContextOf', () => {
  it('serialises a parse once: the same parse gives the same source context, another parse another', async () => {
    const parsed = await parseBpmn(XML);
    const again = await parseBpmn(XML);
    const context = sourceContextOf({ moddleContext: parsed.moddleContext! });
    expect(sourceContextOf({ moddleContext: parsed.moddleContext! })).toBe(context);
    expect(sourceContextOf({ moddleContext: again.moddleContext! })).not.toBe(context);
  });

  it('runs a step from the parse the definitions made', async () => {
    const parsed = await parseBpmn(XML);
    const steps = new StepRunner({ handlers: new HandlerRegistry(), now: () => new Date() });
    const identity = { instanceId: 'i', businessKey: null, processDefinitionKey: 'one-task' };
    const source = sourceContextOf({ moddleContext: parsed.moddleContext! });
    const started = await steps.run(identity, source, { kind: 'start', variables: {} });
    expect(started.active.map((a) => a.id)).toEqual(['review']);
    const review = started.active[0];
    const done = await steps.run(identity, source, { kind: 'signal', engineState: started.engineState!, activityId: 'review', executionId: review.executionId, variables: { approved: true } });
    expect(done).toMatchObject({ ended: true, outcome: 'done', variables: { approved: true } });
    await steps.clear();
  });
});
