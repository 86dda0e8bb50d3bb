import { HandlerRegistry } from '../../../src/handlers/registry';
import { buildSourceContext, SourceContext } from '../../../src/engine/source-context';
import { StepRunner } from '../../../src/engine/step-runner';

/*
 * The saved engine state holds the process variables once (issue 19 point 5): bpmn-elements keeps
 * them in the definition's environment and again in its process's, and a recovered process takes
 * the definition's and then its own, a superset. The definition's copy is left out, and a state
 * written with it (by an earlier version) recovers alike.
 */
const XML = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="http://reglament.kz/test">
  <bpmn:process id="two-steps" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="first" />
    <bpmn:userTask id="first" />
    <bpmn:sequenceFlow id="f2" sourceRef="first" targetRef="second" />
    <bpmn:userTask id="second" />
    <bpmn:sequenceFlow id="f3" sourceRef="second" targetRef="done" />
    <bpmn:endEvent id="done" />
  </bpmn:process>
</bpmn:definitions>`;

describe('saved engine state', () => {
  let source: SourceContext;
  // No kept engines: every step recovers from the state, as after a restart or on another server.
  const steps = new StepRunner({ handlers: new HandlerRegistry(), now: () => new Date(), engineCacheSize: 0 });
  const identity = { instanceId: 'i', businessKey: null, processDefinitionKey: 'two-steps' };
  const request = 'MII'.repeat(400);
  beforeAll(async () => {
    source = await buildSourceContext(XML);
  });
  afterAll(() => steps.clear());

  async function started() {
    const start = await steps.run(identity, source, { kind: 'start', variables: { signedRequest: request, n: 1 } });
    return { start, first: start.active.find((a) => a.id === 'first')! };
  }

  it('holds the variables once, in the process', async () => {
    const { start } = await started();
    const state = JSON.parse(start.engineState!);
    expect(state.definitions[0].environment.variables).toEqual({});
    expect(state.definitions[0].execution.processes[0].environment.variables).toMatchObject({ signedRequest: request, n: 1 });
    expect(start.engineState!.split(request)).toHaveLength(2);
  });

  it.each([
    ['as this version writes it', false],
    ['with the definition’s copy, as an earlier version wrote it', true],
  ])('recovers a state %s with every variable, and goes on from it', async (_name, withCopy) => {
    const { start, first } = await started();
    const state = JSON.parse(start.engineState!);
    if (withCopy) state.definitions[0].environment.variables = { ...state.definitions[0].execution.processes[0].environment.variables };
    const next = await steps.run(identity, source, { kind: 'signal', engineState: JSON.stringify(state), activityId: 'first', executionId: first.executionId, variables: { m: 2 } });
    expect(next.variables).toEqual({ signedRequest: request, n: 1, m: 2 });
    const second = next.active.find((a) => a.id === 'second')!;
    const done = await steps.run(identity, source, { kind: 'signal', engineState: next.engineState!, activityId: 'second', executionId: second.executionId, variables: { k: 3 } });
    expect(done).toMatchObject({ ended: true, outcome: 'done', variables: { signedRequest: request, n: 1, m: 2, k: 3 } });
  });
});
