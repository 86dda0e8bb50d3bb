/**
 * Issue 13, finding 5: one request or one diagram stopped the server. A loop of service tasks with no
 * wait state never yielded (each handler settled in a microtask) and the server stopped answering for
 * good; a PT0S timer in a loop and an R/PT1S cycle fired without end; a form pattern ^(a+)+$ froze
 * the server for seconds per character; a 4.5 MB diagram kept the event loop busy for 110 s in the
 * linter. Each case here: refused at deployment, or aborted with a 422 that says why, nothing stored,
 * and the server answering meanwhile and afterwards.
 */
import fs from 'node:fs';
import path from 'node:path';
import { HandlerRegistry } from '../../src/handlers/registry';
import { buildSourceContext } from '../../src/engine/source-context';
import { StepRunner } from '../../src/engine/step-runner';
import { chainDiagram } from '../support/big-diagram';
import { DiagramFlow, DiagramNode, smallDiagram } from '../support/small-diagram';
import { startTestHost, tempDir, TestHost } from '../support/test-host';

const external = (topic: string) => `camunda:type="external" camunda:topic="${topic}"`;
const timeLimit = '<bpmn:extensionElements><camunda:properties><camunda:property name="timeLimit" value="1 working day" /></camunda:properties></bpmn:extensionElements>';
const startForm = (fields: string) => `<bpmn:extensionElements><camunda:formData>${fields}</camunda:formData></bpmn:extensionElements>`;

function handlers(): HandlerRegistry {
  return new HandlerRegistry()
    .register('test.noop', 'Resolves at once (a microtask): the case that never yielded', async () => ({}), [])
    .register('test.count', 'Counts the rounds of a bounded loop', async ({ variables }) => ({ round: Number(variables.round ?? 0) + 1 }), ['round'])
    .register('test.slow', 'Takes 50 ms', () => new Promise((resolve) => setTimeout(() => resolve({}), 50)), [])
    .register('test.hang', 'Never answers', () => new Promise(() => undefined), []);
}

/** start -> join -> body -> split -(again: condition)-> join, split -(default)-> end. */
function loop(key: string, body: DiagramNode, again = 'true'): string {
  const nodes: DiagramNode[] = [
    { id: 'start', type: 'bpmn:startEvent' },
    { id: 'join', type: 'bpmn:exclusiveGateway' },
    body,
    { id: 'split', type: 'bpmn:exclusiveGateway', attrs: 'default="done"' },
    { id: 'end', type: 'bpmn:endEvent' },
  ];
  const flows: DiagramFlow[] = [
    { id: 'f0', from: 'start', to: 'join' },
    { id: 'to-body', from: 'join', to: body.id },
    { id: 'to-split', from: body.id, to: 'split' },
    { id: 'again', from: 'split', to: 'join', condition: `\${${again}}` },
    { id: 'done', from: 'split', to: 'end', name: 'done' },
  ];
  return smallDiagram(key, nodes, flows);
}

/** start -> timer event -> end, or start -> user task (with a boundary timer) -> end. */
function timerDiagram(key: string, kind: 'timeDuration' | 'timeCycle', value: string, formField?: string): string {
  const definition = `<bpmn:timerEventDefinition><bpmn:${kind} xsi:type="bpmn:tFormalExpression">${value}</bpmn:${kind}></bpmn:timerEventDefinition>`;
  const start: DiagramNode = { id: 'start', type: 'bpmn:startEvent', inner: formField ? startForm(`<camunda:formField id="${formField}" type="string" />`) : undefined };
  if (kind === 'timeDuration') {
    return smallDiagram(
      key,
      [start, { id: 'wait', type: 'bpmn:intermediateCatchEvent', inner: definition }, { id: 'end', type: 'bpmn:endEvent' }],
      [
        { id: 'f1', from: 'start', to: 'wait' },
        { id: 'f2', from: 'wait', to: 'end' },
      ],
    );
  }
  return smallDiagram(
    key,
    [
      start,
      { id: 'review', type: 'bpmn:userTask', attrs: 'camunda:candidateGroups="office"', inner: timeLimit },
      { id: 'remind', type: 'bpmn:boundaryEvent', attrs: 'cancelActivity="false" attachedToRef="review"', inner: definition },
      { id: 'reminded', type: 'bpmn:endEvent' },
      { id: 'end', type: 'bpmn:endEvent' },
    ],
    [
      { id: 'f1', from: 'start', to: 'review' },
      { id: 'f2', from: 'review', to: 'end' },
      { id: 'f3', from: 'remind', to: 'reminded' },
    ],
  );
}

function patternDiagram(key: string, pattern: string): string {
  const field = `<camunda:formField id="code" type="string"><camunda:validation><camunda:constraint name="pattern" config="${pattern}" /></camunda:validation></camunda:formField>`;
  return smallDiagram(
    key,
    [
      { id: 'start', type: 'bpmn:startEvent', inner: startForm(field) },
      { id: 'review', type: 'bpmn:userTask', attrs: 'camunda:candidateGroups="office"', inner: timeLimit },
      { id: 'end', type: 'bpmn:endEvent' },
    ],
    [
      { id: 'f1', from: 'start', to: 'review' },
      { id: 'f2', from: 'review', to: 'end' },
    ],
  );
}

describe('no request or diagram stops the server', () => {
  let t: TestHost;

  beforeAll(async () => {
    const dir = tempDir('runaway-processes-');
    fs.writeFileSync(path.join(dir, 'bounded-loop.bpmn'), loop('bounded-loop', { id: 'count', type: 'bpmn:serviceTask', attrs: external('test.count') }, 'round < 3'));
    t = await startTestHost({ processesDir: dir, handlers: handlers() });
  });
  afterAll(() => t.close());

  const deploy = (name: string, source: string) => t.call('admin', 'POST', '/deployments', { resources: [{ name, source }] });
  const instancesOf = async (key: string) => (await t.call('admin', 'GET', `/process-instances?processDefinitionKey=${key}`)).body.total;

  async function healthLatency(): Promise<number> {
    const started = Date.now();
    const res = await fetch(`${t.url}/api/health`);
    expect(res.status).toBe(200);
    return Date.now() - started;
  }

  it.each([
    ['service tasks whose handler answers at once', 'service-loop', { id: 'spin', type: 'bpmn:serviceTask', attrs: external('test.noop') }],
    ['plain tasks and gateways', 'plain-loop', { id: 'spin', type: 'bpmn:task' }],
  ])('aborts a loop of %s with a 422 naming the loop; the server answers meanwhile and afterwards; nothing stored', async (_what, key, body) => {
    expect((await deploy(`${key}.bpmn`, loop(key, body as DiagramNode))).status).toBe(201);

    let answered = false;
    const started = t.call('olga-office', 'POST', `/process-definitions/${key}/start`, {}).then((res) => {
      answered = true;
      return res;
    });
    const latencies: number[] = [];
    do latencies.push(await healthLatency());
    while (!answered);
    const res = await started;

    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('STEP_RUNAWAY');
    expect(res.body.error.message).toContain('without reaching a wait state');
    expect(res.body.error.message).toContain('it loops through join -> to-body -> spin -> to-split -> split -> again');
    // A loop of plain tasks runs without yielding until the bound (about half a millisecond a
    // transition, more on a busy machine); then the server answers again.
    // A liveness bound with room for a busy CI machine, not a speed goal.
    expect(Math.max(...latencies)).toBeLessThan(8000);
    expect(await instancesOf(key)).toBe(0);

    // Still working: a loop that ends runs its three rounds; the runaway one is refused again.
    const bounded = await t.call('olga-office', 'POST', '/process-definitions/bounded-loop/start', {});
    expect(bounded.status).toBe(201);
    expect((await t.call('admin', 'GET', `/process-instances/${bounded.body.id}`)).body).toMatchObject({ state: 'completed', variables: { round: 3 }, outcome: 'end' });
    expect((await t.call('olga-office', 'POST', `/process-definitions/${key}/start`, {})).status).toBe(422);
    expect(await instancesOf(key)).toBe(0);
  });

  const callDiagram = (key: string, called: string) =>
    smallDiagram(
      key,
      [{ id: 'start', type: 'bpmn:startEvent' }, { id: 'call', type: 'bpmn:callActivity', attrs: `calledElement="${called}"` }, { id: 'end', type: 'bpmn:endEvent' }],
      [
        { id: 'f1', from: 'start', to: 'call' },
        { id: 'f2', from: 'call', to: 'end' },
      ],
    );

  it('refuses at deployment a process that calls itself (the engine ran it inside the caller until it failed)', async () => {
    const res = await deploy('self-call.bpmn', callDiagram('self-call', 'self-call'));
    expect(res.status).toBe(422);
    expect(res.body.error.details.problems).toEqual([
      expect.objectContaining({ elementId: 'call', rule: 'reglament/call-activity-target', message: expect.stringContaining('is defined in this same file') }),
    ]);
  });

  it('refuses a start whose called processes call each other without end: 422 naming the call, nothing stored', async () => {
    const resources = [
      { name: 'ping.bpmn', source: callDiagram('ping', 'pong') },
      { name: 'pong.bpmn', source: callDiagram('pong', 'ping') },
    ];
    expect((await t.call('admin', 'POST', '/deployments', { resources })).status).toBe(201);
    const started = Date.now();
    const res = await t.call('olga-office', 'POST', '/process-definitions/ping/start', {});
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('STEP_RUNAWAY');
    expect(res.body.error.message).toMatch(/^Call activity "call" of "(ping|pong)" would start "(ping|pong)" 9 calls deep \(at most 8\)/);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await instancesOf('ping')).toBe(0);
    expect(await instancesOf('pong')).toBe(0);
  });

  it.each([
    ['a zero duration', 'zero-timer', timerDiagram('zero-timer', 'timeDuration', 'PT0S'), 'wait', 'Timer duration "PT0S" does not wait'],
    ['a zero duration in days', 'zero-days-timer', timerDiagram('zero-days-timer', 'timeDuration', 'P0D'), 'wait', 'Timer duration "P0D" does not wait'],
    ['a negative duration', 'negative-timer', timerDiagram('negative-timer', 'timeDuration', '-PT1S'), 'wait', 'Timer duration "-PT1S" is negative'],
    ['an unbounded cycle', 'endless-cycle', timerDiagram('endless-cycle', 'timeCycle', 'R/PT1S'), 'remind', 'Timer cycle "R/PT1S" repeats without end'],
    ['a cycle of 1000 repetitions', 'long-cycle', timerDiagram('long-cycle', 'timeCycle', 'R1000/PT1H'), 'remind', 'Timer cycle "R1000/PT1H" repeats 1000 times'],
  ])('refuses %s at deployment, naming the event', async (_what, key, xml, elementId, message) => {
    const res = await deploy(`${key}.bpmn`, xml);
    expect(res.status).toBe(422);
    expect(res.body.error.details.problems).toEqual([expect.objectContaining({ elementId, rule: 'reglament/timer', message: expect.stringContaining(message) })]);
    expect((await t.call('admin', 'GET', '/process-definitions?all=true')).body.map((d: { key: string }) => d.key)).not.toContain(key);
  });

  it.each([
    ['duration', 'variable-duration', timerDiagram('variable-duration', 'timeDuration', '${delay}', 'delay'), 'delay', 'PT0S', 'PT2H'],
    ['cycle', 'variable-cycle', timerDiagram('variable-cycle', 'timeCycle', '${cycle}', 'cycle'), 'cycle', 'R/PT1S', 'R2/PT1H'],
  ])('refuses a timer %s that an expression resolves to zero or without end, when it starts; nothing stored', async (_what, key, xml, field, bad, good) => {
    expect((await deploy(`${key}.bpmn`, xml)).status).toBe(201);
    const refused = await t.call('olga-office', 'POST', `/process-definitions/${key}/start`, { variables: { [field]: bad } });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('INVALID_TIMER');
    expect(refused.body.error.message).toContain(`"${bad}"`);
    expect(await instancesOf(key)).toBe(0);

    const waiting = await t.call('olga-office', 'POST', `/process-definitions/${key}/start`, { variables: { [field]: good } });
    expect(waiting.status).toBe(201);
    const timers = await t.call('admin', 'GET', `/timers?processInstanceId=${waiting.body.id}&kind=event`);
    expect(timers.body.map((row: { state: string }) => row.state)).toEqual(['pending']);
  });

  it('refuses a form pattern that backtracks catastrophically at deployment, naming element and field', async () => {
    const res = await deploy('nested-pattern.bpmn', patternDiagram('nested-pattern', '^(a+)+$'));
    expect(res.status).toBe(422);
    expect(res.body.error.details.problems).toEqual([
      expect.objectContaining({ elementId: 'start', rule: 'reglament/form-fields', message: expect.stringContaining('Form field "code" pattern "^(a+)+$" can take exponential time to match') }),
    ]);
  });

  it('bounds the time a pattern that slipped past the check may take: the value is a field error, quickly', async () => {
    // safe-regex2 misses ^(a|a)*$ (no nested quantifier), yet every character doubles its time.
    expect((await deploy('slipped-pattern.bpmn', patternDiagram('slipped-pattern', '^(a|a)*$'))).status).toBe(201);
    const started = Date.now();
    const slow = await t.call('olga-office', 'POST', '/process-definitions/slipped-pattern/start', { variables: { code: `${'a'.repeat(27)}b` } });
    // The match is stopped after PATTERN_TIMEOUT_MS (a second); unbounded it would take minutes.
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(slow.status).toBe(400);
    expect(slow.body.error.details.fields).toEqual([{ field: 'code', message: expect.stringContaining('^(a|a)*$') }]);
    expect(await instancesOf('slipped-pattern')).toBe(0);
    expect((await t.call('olga-office', 'POST', '/process-definitions/slipped-pattern/start', { variables: { code: 'aaaa' } })).status).toBe(201);
  });

  it('refuses a 4.5 MB diagram at once with the size bound; the server answers meanwhile', async () => {
    const xml = chainDiagram({ key: 'huge', tasks: 9800 });
    expect(xml.length).toBeGreaterThan(4_400_000);
    const started = Date.now();
    const deployed = fetch(`${t.url}/api/deployments?name=huge.bpmn`, { method: 'POST', body: xml, headers: { authorization: 'Bearer token-of-admin', 'content-type': 'application/xml' } });
    const latency = await healthLatency();
    const res = await deployed;
    const body = (await res.json()) as any;
    expect(res.status).toBe(422);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(latency).toBeLessThan(8000);
    expect(body.error.details.problems).toEqual([
      expect.objectContaining({ file: 'huge.bpmn', rule: 'reglament/diagram-size', message: expect.stringMatching(/^The diagram has \d+ XML elements; at most 20000 are accepted/) }),
    ]);
  });
});

describe('the step runner bounds a step by transitions and by time', () => {
  const identity = (id: string) => ({ instanceId: id, businessKey: null, processDefinitionKey: 'runaway-unit' });

  it('stops a loop after the configured number of transitions', async () => {
    const runner = new StepRunner({ handlers: handlers(), now: () => new Date(), engineCacheSize: 0, maxTransitions: 40 });
    const source = await buildSourceContext(loop('small-bound', { id: 'spin', type: 'bpmn:task' }));
    await expect(runner.run(identity('bound'), source, { kind: 'start', variables: {} })).rejects.toMatchObject({
      kind: 'unprocessable',
      code: 'STEP_RUNAWAY',
      message: expect.stringContaining('The step took 41 transitions without reaching a wait state (at most 40, STEP_MAX_TRANSITIONS)'),
    });
  });

  it.each([
    ['a loop of slow handlers', loop('slow-loop', { id: 'slow', type: 'bpmn:serviceTask', attrs: external('test.slow') }), 'it loops through join -> to-body -> slow'],
    ['a handler that never answers', loop('hanging', { id: 'hang', type: 'bpmn:serviceTask', attrs: external('test.hang') }), 'still running: "hang"'],
  ])('stops %s when the step runs out of time, naming what ran', async (_what, xml, named) => {
    const runner = new StepRunner({ handlers: handlers(), now: () => new Date(), engineCacheSize: 0, timeoutMs: 400 });
    const started = Date.now();
    await expect(runner.run(identity('time'), await buildSourceContext(xml), { kind: 'start', variables: {} })).rejects.toMatchObject({
      kind: 'unprocessable',
      code: 'STEP_RUNAWAY',
      message: expect.stringMatching(/^The step reached no wait state within 400 ms \(STEP_TIMEOUT_MS\)/),
    });
    await expect(runner.run(identity('time-2'), await buildSourceContext(xml), { kind: 'start', variables: {} })).rejects.toMatchObject({ message: expect.stringContaining(named) });
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
