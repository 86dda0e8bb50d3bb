import { HandlerRegistry } from '../../../src/handlers/registry';
import { buildSourceContext, SourceContext } from '../../../src/engine/source-context';
import { StepRunner } from '../../../src/engine/step-runner';

/* The StepRunner's kept engines: bounded, let go when idle, and used only for the state they produced. */
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

describe('StepRunner kept engines', () => {
  let source: SourceContext;
  beforeAll(async () => {
    source = await buildSourceContext(XML);
  });
  const runner = (options: { engineCacheSize?: number; engineCacheIdleMs?: number }) => new StepRunner({ handlers: new HandlerRegistry(), now: () => new Date(), ...options });
  const identity = (instanceId: string) => ({ instanceId, businessKey: null, processDefinitionKey: 'two-steps' });

  async function startAndSignal(steps: StepRunner, id: string) {
    const started = await steps.run(identity(id), source, { kind: 'start', variables: { n: 1 } });
    const first = started.active.find((a) => a.id === 'first')!;
    return { started, first };
  }

  it('keeps at most engineCacheSize engines, least recently used out first; a let-go engine is recovered from the state', async () => {
    const steps = runner({ engineCacheSize: 1 });
    const x = await startAndSignal(steps, 'x');
    expect(steps.keptEngines).toBe(1);
    await startAndSignal(steps, 'y');
    expect(steps.keptEngines).toBe(1);
    // x's engine was let go: its next step runs from the stored state and reaches the same place.
    const next = await steps.run(identity('x'), source, { kind: 'signal', engineState: x.started.engineState!, activityId: 'first', executionId: x.first.executionId, variables: { m: 2 } });
    expect(next.active.map((a) => a.id)).toEqual(['second']);
    expect(next.variables).toMatchObject({ n: 1, m: 2 });
    await steps.clear();
    expect(steps.keptEngines).toBe(0);
  });

  it('a kept engine serves only the state it produced; an older state is run from the state', async () => {
    const steps = runner({ engineCacheSize: 10 });
    const x = await startAndSignal(steps, 'x');
    const signal = (engineState: string) => steps.run(identity('x'), source, { kind: 'signal', engineState, activityId: 'first', executionId: x.first.executionId, variables: { m: 2 } });
    const once = await signal(x.started.engineState!);
    expect(once.active.map((a) => a.id)).toEqual(['second']);
    // The first step again from the state before it (its commit failed, say): the kept engine is
    // already past 'first' and must not be used; the step runs from the state and succeeds.
    const again = await signal(x.started.engineState!);
    expect(again.active.map((a) => a.id)).toEqual(['second']);
    expect(again.variables).toEqual(once.variables);
    // (The two states are equivalent, not equal strings: a recovered engine records its redelivered messages.)
    expect(JSON.parse(again.engineState!).definitions[0].execution.processes[0].execution.children.map((c: any) => [c.id, c.counters])).toEqual(
      JSON.parse(once.engineState!).definitions[0].execution.processes[0].execution.children.map((c: any) => [c.id, c.counters]),
    );
    await steps.clear();
  });

  it('keeps nothing with engineCacheSize 0, and lets idle engines go', async () => {
    const none = runner({ engineCacheSize: 0 });
    await startAndSignal(none, 'x');
    expect(none.keptEngines).toBe(0);
    const idle = runner({ engineCacheSize: 10, engineCacheIdleMs: 0 });
    await startAndSignal(idle, 'x');
    expect(idle.keptEngines).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await startAndSignal(idle, 'y');
    // x, idle, went when y's step began; y is kept.
    expect(idle.keptEngines).toBe(1);
    await idle.clear();
  });
});
