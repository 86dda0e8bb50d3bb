/**
 * Issue 13, finding 4: deploying was code execution. A user of group deployer (Camunda Modeler's
 * Deploy, /engine-rest) deployed a bpmn:scriptTask whose script escaped node:vm and read the users
 * file; `process.exit(0)` in one stopped the server. Now every form of code in a diagram is refused at
 * deployment with its element id (reglament/no-script), and the engine refuses every script should a
 * diagram get past the linter (the step runner is driven directly below, with no linter).
 */
import fs from 'node:fs';
import path from 'node:path';
import { HandlerRegistry } from '../../src/handlers/registry';
import { buildSourceContext } from '../../src/engine/source-context';
import { StepRunner } from '../../src/engine/step-runner';
import { DiagramNode, smallDiagram } from '../support/small-diagram';
import { startTestHost, tempDir, TestHost, tokenOf } from '../support/test-host';

const NOOP = 'test.noop';
const handlers = () => new HandlerRegistry().register(NOOP, 'Does nothing', async () => ({}), []);

/** What a script would do if it ran: leave a mark, then stop the process. */
const ESCAPE = "const p = this.constructor.constructor('return process')(); p.env.REGLAMENT_SCRIPT_RAN = 'yes'; p.exit(0); next();";

/** start -> step -> end; deployable when the step is a plain task. */
function oneStep(key: string, step: DiagramNode): string {
  return smallDiagram(
    key,
    [{ id: 'start', type: 'bpmn:startEvent' }, step, { id: 'end', type: 'bpmn:endEvent' }],
    [
      { id: 'f1', from: 'start', to: step.id },
      { id: 'f2', from: step.id, to: 'end' },
    ],
  );
}

/** start -> split -> (condition) -> end-yes, default -> end-no. */
function routed(key: string, condition: string, conditionAttrs?: string): string {
  return smallDiagram(
    key,
    [
      { id: 'start', type: 'bpmn:startEvent' },
      { id: 'split', type: 'bpmn:exclusiveGateway', attrs: 'default="otherwise"' },
      { id: 'end-yes', type: 'bpmn:endEvent' },
      { id: 'end-no', type: 'bpmn:endEvent' },
    ],
    [
      { id: 'f1', from: 'start', to: 'split' },
      { id: 'scripted', from: 'split', to: 'end-yes', condition, conditionAttrs },
      { id: 'otherwise', from: 'split', to: 'end-no', name: 'otherwise' },
    ],
  );
}

const listener = (script: string) =>
  `<bpmn:extensionElements><camunda:executionListener event="start"><camunda:script scriptFormat="javascript">${script}</camunda:script></camunda:executionListener></bpmn:extensionElements>`;
const inputScript = '<bpmn:extensionElements><camunda:inputOutput><camunda:inputParameter name="users"><camunda:script scriptFormat="javascript">1</camunda:script></camunda:inputParameter></camunda:inputOutput></bpmn:extensionElements>';

/** [what, key, diagram, element reported]: each carries code in one place. */
const WITH_CODE: [string, string, string, string][] = [
  ['a script task', 'code-script-task', oneStep('code-script-task', { id: 'read-users', type: 'bpmn:scriptTask', attrs: 'scriptFormat="javascript"', inner: `<bpmn:script>${ESCAPE}</bpmn:script>` }), 'read-users'],
  ['a script task without a script', 'code-empty-script', oneStep('code-empty-script', { id: 'empty-script', type: 'bpmn:scriptTask' }), 'empty-script'],
  ['a script condition', 'code-script-condition', routed('code-script-condition', 'next(null, true)', 'language="javascript"'), 'scripted'],
  ['an execution listener with a script', 'code-listener', oneStep('code-listener', { id: 'listened', type: 'bpmn:task', inner: listener('process.exit(0)') }), 'listened'],
  ['a script in an input mapping', 'code-input-mapping', oneStep('code-input-mapping', { id: 'mapped', type: 'bpmn:serviceTask', attrs: `camunda:type="external" camunda:topic="${NOOP}"`, inner: inputScript }), 'mapped'],
  ['a condition that reads the engine environment', 'code-environment', routed('code-environment', '${environment.services.run(content)}'), 'scripted'],
];

describe('deploying code', () => {
  let t: TestHost;

  beforeAll(async () => {
    const dir = tempDir('no-code-processes-');
    fs.writeFileSync(path.join(dir, 'at-start.bpmn'), oneStep('at-start', { id: 'step', type: 'bpmn:task' }));
    t = await startTestHost({ processesDir: dir, handlers: handlers() });
  });
  afterAll(() => t.close());

  async function deployedKeys(): Promise<string[]> {
    const all = await t.call('admin', 'GET', '/process-definitions?all=true');
    return all.body.map((d: { key: string }) => d.key);
  }

  function modelerDeploy(user: string, fileName: string, contents: string) {
    // What Camunda Modeler's Deploy sends (multipart, Basic auth with the user's token).
    const form = new FormData();
    form.append('deployment-name', fileName);
    form.append('deployment-source', 'Camunda Modeler');
    form.append('enable-duplicate-filtering', 'true');
    form.append(fileName, new Blob([contents], { type: 'text/xml' }), fileName);
    const authorization = `Basic ${Buffer.from(`${user}:${tokenOf(user)}`).toString('base64')}`;
    return fetch(`${t.url}/engine-rest/deployment/create`, { method: 'POST', body: form, headers: { authorization, accept: 'application/json' } }).then(async (r) => ({
      status: r.status,
      body: (await r.json()) as any,
    }));
  }

  it('deploys the same diagrams without the code (the refusals below are for the code alone)', async () => {
    const plain = oneStep('plain-step', { id: 'read-users', type: 'bpmn:task' });
    expect((await modelerDeploy('dora-deployer', 'plain-step.bpmn', plain)).status).toBe(200);
    const routedPlain = routed('plain-routing', "${variant == 'yes'}");
    expect((await t.call('admin', 'POST', '/deployments', { resources: [{ name: 'plain-routing.bpmn', source: routedPlain }] })).status).toBe(201);
    expect(await deployedKeys()).toEqual(expect.arrayContaining(['plain-step', 'plain-routing']));
  });

  it.each(WITH_CODE)('refuses %s from a deployer through /engine-rest, naming the element; nothing is deployed', async (_what, key, xml, elementId) => {
    const res = await modelerDeploy('dora-deployer', `${key}.bpmn`, xml);
    expect(res.status).toBe(400);
    expect(res.body.type).toBe('ParseException');
    const rule = key === 'code-environment' ? 'reglament/condition-expression' : 'reglament/no-script';
    expect(res.body.message).toContain(`* ${elementId}: [${rule}]`);
    expect(await deployedKeys()).not.toContain(key);
  });

  it.each(WITH_CODE)('refuses %s from an admin through /api/deployments with details.problems; nothing is deployed', async (_what, key, xml, elementId) => {
    const res = await t.call('admin', 'POST', '/deployments', { resources: [{ name: `${key}.bpmn`, source: xml }] });
    expect(res.status).toBe(422);
    const rule = key === 'code-environment' ? 'reglament/condition-expression' : 'reglament/no-script';
    expect(res.body.error.details.problems).toEqual(expect.arrayContaining([expect.objectContaining({ file: `${key}.bpmn`, elementId, rule, severity: 'error' })]));
    expect(await deployedKeys()).not.toContain(key);
  });
});

describe('the engine refuses scripts that get past the linter', () => {
  const runner = new StepRunner({ handlers: handlers(), now: () => new Date(), engineCacheSize: 0 });

  afterEach(() => {
    delete process.env.REGLAMENT_SCRIPT_RAN;
  });

  it.each<[string, string, Record<string, unknown>, string]>([
    ['a script task', oneStep('engine-script-task', { id: 'read-users', type: 'bpmn:scriptTask', attrs: 'scriptFormat="javascript"', inner: `<bpmn:script>${ESCAPE}</bpmn:script>` }), {}, 'read-users'],
    ['a script task without a script', oneStep('engine-empty-script', { id: 'empty-script', type: 'bpmn:scriptTask' }), {}, 'empty-script'],
    ['a script task in another language', oneStep('engine-groovy', { id: 'groovy', type: 'bpmn:scriptTask', attrs: 'scriptFormat="groovy"', inner: '<bpmn:script>System.exit(0)</bpmn:script>' }), {}, 'groovy'],
    ['a script condition', routed('engine-script-condition', ESCAPE, 'language="javascript"'), {}, 'scripted'],
  ])('refuses %s with an error naming the element; the script never runs', async (_what, xml, variables, elementId) => {
    const sourceContext = await buildSourceContext(xml);
    const run = runner.run({ instanceId: `no-code-${elementId}`, businessKey: null, processDefinitionKey: 'engine-test' }, sourceContext, { kind: 'start', variables });
    await expect(run).rejects.toMatchObject({ kind: 'unprocessable', code: 'SCRIPT_REFUSED', message: expect.stringContaining(`"${elementId}"`) });
    expect(process.env.REGLAMENT_SCRIPT_RAN).toBeUndefined();
  });
});
