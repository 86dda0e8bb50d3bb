import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lintDefinition, PLUGIN_PACKAGE, reglamentLintConfig, ReglamentResolver, reglamentRules } from '../../../src/definitions/lint';
import { findBpmnFiles, formatLintReport, lintFiles } from '../../../src/definitions/lint/lint-files';
import { parseBpmn } from '../../../src/definitions/parse';

const FULL = join(__dirname, '../../fixtures/lint/full/valid-licence.bpmn');
const HANDLERS = ['registry.assign-number', 'licence.issue', 'refusal.issue'];
const HEAD =
  '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs">';

describe('lintDefinition', () => {
  it('accepts a complete diagram (with DI) under bpmnlint recommended plus the reglament rules', async () => {
    const parsed = await parseBpmn(readFileSync(FULL, 'utf8'), 'valid-licence.bpmn');
    expect(await lintDefinition(parsed, { handlers: HANDLERS, processKeys: ['test-qualification-check'] })).toEqual([]);
  });

  it('runs recommended and reglament rules together, with rule name, element id, line and file', async () => {
    const xml = readFileSync(FULL, 'utf8')
      .replace('camunda:topic="licence.issue"', 'camunda:topic="licence.print"')
      .replace('<bpmndi:BPMNShape id="refused_di" bpmnElement="refused">\n        <dc:Bounds x="1100" y="332" width="36" height="36" />\n      </bpmndi:BPMNShape>', '');
    const parsed = await parseBpmn(xml, 'changed.bpmn');
    const problems = await lintDefinition(parsed, { handlers: HANDLERS, processKeys: [] });
    expect(problems).toEqual([
      { file: 'changed.bpmn', elementId: 'refused', rule: 'no-bpmndi', severity: 'error', message: 'Element is missing bpmndi', line: 144 },
      {
        file: 'changed.bpmn',
        elementId: 'check-qualification',
        rule: 'reglament/call-activity-target',
        severity: 'error',
        message: 'Called process "test-qualification-check" is neither deployed nor part of this deployment',
        line: 109,
      },
      {
        file: 'changed.bpmn',
        elementId: 'issue-licence',
        rule: 'reglament/service-task-handler',
        severity: 'error',
        message: 'Topic "licence.print" names no registered handler (registered: licence.issue, refusal.issue, registry.assign-number)',
        line: 168,
      },
    ].sort((a, b) => order(a.rule) - order(b.rule)));
  });

  it("reports bpmnlint 'warn' rules as warnings", async () => {
    const parsed = await parseBpmn(
      `${HEAD}<bpmn:process id="warned" isExecutable="true">
        <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
        <bpmn:exclusiveGateway id="gw"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:exclusiveGateway>
        <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
        <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="gw" /><bpmn:sequenceFlow id="f2" sourceRef="gw" targetRef="end" />
      </bpmn:process></bpmn:definitions>`,
      'warned.bpmn',
    );
    const problems = await lintDefinition(parsed, { handlers: [], processKeys: [], onlyRules: ['superfluous-gateway', 'reglament/executable-process'] });
    expect(problems).toEqual([
      { file: 'warned.bpmn', elementId: 'gw', rule: 'superfluous-gateway', severity: 'warning', message: 'Gateway is superfluous. It only has one source and target.', line: 3 },
    ]);
  });

  it('returns the parse problems (and nothing else) for an unreadable document', async () => {
    const parsed = await parseBpmn('<bpmn:definitions', 'broken.bpmn');
    const problems = await lintDefinition(parsed, { handlers: HANDLERS, processKeys: [] });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => p.rule === 'parse' && p.severity === 'error' && p.file === 'broken.bpmn')).toBe(true);
  });

  it('keeps parse problems of a readable document next to the lint reports, and fills in the file', async () => {
    const parsed = await parseBpmn(`${HEAD}<bpmn:process id="p" isExecutable="true"><bpmn:callActivity id="c" calledElment="p" /></bpmn:process></bpmn:definitions>`);
    const problems = await lintDefinition(parsed, { file: 'given.bpmn', handlers: [], processKeys: [], onlyRules: ['reglament/call-activity-target'] });
    expect(problems.map((p) => [p.file, p.rule, p.elementId, p.message])).toEqual([
      ['given.bpmn', 'parse', 'c', 'Unknown attribute <calledElment> on bpmn:CallActivity'],
      ['given.bpmn', 'reglament/call-activity-target', 'c', 'Call activity has no called process key (calledElement)'],
    ]);
  });

  it("refuses a call activity that calls the file's own process (the engine would run it inside the caller, without end)", async () => {
    const parsed = await parseBpmn(`${HEAD}<bpmn:process id="loop" isExecutable="true"><bpmn:callActivity id="c" calledElement="loop" /></bpmn:process></bpmn:definitions>`);
    const problems = await lintDefinition(parsed, { handlers: [], processKeys: ['loop'], onlyRules: ['reglament/call-activity-target'] });
    expect(problems.map((p) => [p.elementId, p.message])).toEqual([['c', expect.stringMatching(/^Called process "loop" is defined in this same file/)]]);
  });

  it('rejects an unknown rule name in onlyRules', async () => {
    const parsed = await parseBpmn(readFileSync(FULL, 'utf8'));
    await expect(lintDefinition(parsed, { handlers: [], processKeys: [], onlyRules: ['reglament/nope'] })).rejects.toThrow('Unknown lint rule "reglament/nope"');
  });
});

function order(rule: string): number {
  // bpmnlint reports recommended rules first (config order), then ours in plugin-config order.
  const ours = Object.keys(reglamentRules).map((name) => `reglament/${name}`);
  return rule.startsWith('reglament/') ? 100 + ours.indexOf(rule) : 0;
}

describe('ReglamentResolver', () => {
  const resolver = new ReglamentResolver();

  it('resolves reglament/* rules from src/definitions/lint/rules', () => {
    for (const [name, factory] of Object.entries(reglamentRules)) expect(resolver.resolveRule(PLUGIN_PACKAGE, name)).toBe(factory);
    expect(() => resolver.resolveRule(PLUGIN_PACKAGE, 'nope')).toThrow('cannot resolve rule <nope>');
  });

  it('resolves bpmnlint built-in rules and configs through bpmnlint', async () => {
    const rule = await resolver.resolveRule('bpmnlint', 'label-required');
    expect(typeof rule).toBe('function');
    expect(rule()).toHaveProperty('check');
    const recommended = await resolver.resolveConfig('bpmnlint', 'recommended');
    expect(recommended.rules).toHaveProperty('no-bpmndi', 'error');
  });

  it('provides plugin:reglament/recommended with every rule as an error', async () => {
    const config = await resolver.resolveConfig(PLUGIN_PACKAGE, 'recommended');
    expect(config.rules).toEqual(Object.fromEntries(Object.keys(reglamentRules).map((name) => [name, 'error'])));
    expect(() => resolver.resolveConfig(PLUGIN_PACKAGE, 'strict')).toThrow('cannot resolve config <strict>');
  });

  it('builds the deployment config from handlers and process keys', () => {
    expect(reglamentLintConfig({ handlers: new Set(['a']), processKeys: ['k'] })).toEqual({
      extends: ['bpmnlint:recommended', 'plugin:reglament/recommended'],
      rules: {
        'reglament/service-task-handler': ['error', { handlers: ['a'] }],
        'reglament/call-activity-target': ['error', { processKeys: ['k'] }],
      },
    });
  });
});

describe('lintFiles (scripts/lint-bpmn)', () => {
  const caller = `${HEAD}<bpmn:process id="caller" isExecutable="true"><bpmn:callActivity id="call" calledElement="callee" /><bpmn:callActivity id="call-ghost" calledElement="ghost" /></bpmn:process></bpmn:definitions>`;
  const callee = `${HEAD}<bpmn:process id="callee" isExecutable="true" /></bpmn:definitions>`;

  it('knows the process keys of all files, reports duplicate keys, and formats a report', async () => {
    const resources = [
      { name: 'processes/caller.bpmn', source: caller },
      { name: 'processes/callee.bpmn', source: callee },
      { name: 'processes/copy.bpmn', source: callee },
    ];
    const result = await lintFiles(resources, { handlers: HANDLERS });
    expect(result.processKeys).toEqual(['caller', 'callee']);
    const ours = result.problems.filter((p) => p.rule === 'reglament/call-activity-target' || p.rule === 'duplicate-process-key');
    expect(ours.map((p) => [p.file, p.elementId, p.rule, p.message])).toEqual([
      ['processes/caller.bpmn', 'call-ghost', 'reglament/call-activity-target', 'Called process "ghost" is neither deployed nor part of this deployment'],
      ['processes/copy.bpmn', 'callee', 'duplicate-process-key', 'Process key "callee" is also defined in processes/callee.bpmn'],
    ]);
    expect(result.errors).toBe(result.problems.filter((p) => p.severity === 'error').length);

    const text = formatLintReport(resources, result);
    expect(text).toContain('processes/caller.bpmn:1: call-ghost  reglament/call-activity-target  Called process "ghost" is neither deployed nor part of this deployment');
    expect(text.split('\n').at(-1)).toBe(`3 files checked: ${result.errors} errors, ${result.warnings} warnings`);
  });

  it('prints ok for a clean file', async () => {
    const resources = [{ name: 'full.bpmn', source: readFileSync(FULL, 'utf8') }];
    const result = await lintFiles(resources, { handlers: HANDLERS, processKeys: ['test-qualification-check'] });
    expect(formatLintReport(resources, result)).toBe('full.bpmn: ok\n1 file checked: 0 errors, 0 warnings');
  });

  it('finds .bpmn files recursively, sorted', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lint-bpmn-'));
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'b.bpmn'), '');
    writeFileSync(join(dir, 'a.BPMN'), '');
    writeFileSync(join(dir, 'README.md'), '');
    writeFileSync(join(dir, 'sub', 'c.bpmn'), '');
    expect(findBpmnFiles(dir).map((f) => f.slice(dir.length + 1))).toEqual(['a.BPMN', 'b.bpmn', join('sub', 'c.bpmn')]);
    expect(findBpmnFiles(join(dir, 'missing'))).toEqual([]);
  });
});
