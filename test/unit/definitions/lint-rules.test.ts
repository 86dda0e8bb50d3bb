/**
 * Fixture-driven tests of the reglament/* lint rules, in the style of bpmnlint's own rule tests:
 * test/fixtures/lint/<rule>/valid*.bpmn must produce no report of the rule, invalid*.bpmn exactly the
 * reports listed below (element id and message, in report order). Each file is linted with only the
 * rule under test, so recommended rules (no-bpmndi, ...) do not interfere with the tiny diagrams.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTimeLimit } from '../../../src/calendar/time-limit';
import { lintDefinition, ReglamentResolver, reglamentRules } from '../../../src/definitions/lint';
import { MAX_XML_ELEMENTS, parseBpmn } from '../../../src/definitions/parse';
import { validateExpression } from '../../../src/expressions';
import { chainDiagram } from '../../support/big-diagram';

const FIXTURES = join(__dirname, '../../fixtures/lint');
const HANDLERS = ['registry.assign-number', 'licence.issue', 'refusal.issue'];
const PROCESS_KEYS = ['known-process'];
/** Variable -> who produces it, as HandlerRegistry.producers() gives it. */
const PRODUCED = new Map([
  ['registrationNumber', ['registry.assign-number']],
  ['resultDocument', ['cabinet.notify', 'result.form']],
  ['lastErrorCode', ['the host (BPMN error of a handler)']],
]);

type Expected = [elementId: string | undefined, message: string][];

function timeLimitError(text: string): string {
  try {
    parseTimeLimit(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`parseTimeLimit accepted "${text}"`);
}

function expressionError(text: string): string {
  const problem = validateExpression(text);
  if (problem === null) throw new Error(`validateExpression accepted "${text}"`);
  return problem;
}

const KEBAB = '(lowercase letters and digits joined by single hyphens, e.g. "cotton-warehouse-license")';
const ONE_EXECUTABLE = 'exactly one process must have isExecutable="true"';
const NOT_EXTERNAL = 'Service task must be implemented as External (camunda:type="external") with camunda:topic naming a handler';
const NO_TIME_LIMIT = 'User task has no time limit (extension property "timeLimit")';
const TYPES = 'allowed: string, long, boolean, date, enum';
const NO_CODE = 'diagrams carry no code';
const USE_HANDLER = 'use a service task (External) whose topic names a registered handler';
const AT_LEAST_ONE_SECOND = 'a timer waits at least one second (PT1S)';
const BOUNDED_CYCLE = 'write R<n>/<duration> with n from 1 to 100 (e.g. R3/PT1H)';
const BACKTRACKS =
  'can take exponential time to match (a repetition inside a repetition, or more than 25 repetitions); rewrite it without nested quantifiers, e.g. ^(\\d{3}-\\d{7}|\\d{7})$ instead of ^(\\d{3}-)?\\d{7}$';

/** Expected reports per rule and invalid fixture; computed lazily (the parsers' messages are theirs). */
const EXPECTED: Record<string, Record<string, () => Expected>> = {
  'executable-process': {
    'invalid-none.bpmn': () => [['defs', `The file has no executable process; ${ONE_EXECUTABLE}`]],
    'invalid-two.bpmn': () => [['second', `The file has 2 executable processes (first, second); ${ONE_EXECUTABLE}`]],
    'invalid-key.bpmn': () => [['Process_1', `Process key "Process_1" is not kebab-case ${KEBAB}`]],
  },
  'user-task-candidate-group': {
    'invalid.bpmn': () => [
      ['no-group', 'User task has no candidate group (camunda:candidateGroups)'],
      ['blank-group', 'User task has no candidate group (camunda:candidateGroups)'],
      ['wrong-group', 'Candidate groups "head" must be the group "office" of lane "Кеңсе" (lane-office)'],
      ['extra-group', 'Candidate groups "office, head" must be the group "office" of lane "Кеңсе" (lane-office)'],
      ['nested-wrong', 'Candidate groups "office" must be the group "head" of lane lane-head'],
    ],
  },
  'service-task-handler': {
    'invalid.bpmn': () => [
      ['plain', NOT_EXTERNAL],
      ['java-class', NOT_EXTERNAL],
      ['no-topic', 'External service task has no topic (camunda:topic); the topic is the handler name'],
      ['unknown-topic', 'Topic "licence.revoke" names no registered handler (registered: licence.issue, refusal.issue, registry.assign-number)'],
    ],
  },
  'time-limit': {
    'invalid.bpmn': () => [
      ['no-limit', NO_TIME_LIMIT],
      ['other-properties', NO_TIME_LIMIT],
      ['bad-unit', `Time limit "3 weeks" is invalid: ${timeLimitError('3 weeks')}`],
      ['words', `Time limit "thirty minutes" is invalid: ${timeLimitError('thirty minutes')}`],
      ['empty', `Time limit "" is invalid: ${timeLimitError('')}`],
      ['twice', 'User task has 2 "timeLimit" properties; keep exactly one'],
    ],
  },
  'condition-expression': {
    'invalid.bpmn': () => [
      ['empty-body', 'Condition expression is empty'],
      ['dangling', `Condition "\${variant == }" is invalid: ${expressionError('${variant == }')}`],
      ['unclosed', `Condition "\${variant == 'duplicate'" is invalid: ${expressionError("${variant == 'duplicate'")}`],
      ['assignment', `Condition "\${variant = 1}" is invalid: ${expressionError('${variant = 1}')}`],
      ['words', `Condition "\${variant eq 'new' and not rejected}" is invalid: Unexpected "eq" (write ==) at column 11 of "\${variant eq 'new' and not rejected}"`],
    ],
  },
  'form-fields': {
    'invalid.bpmn': () => [
      ['start', 'Form field #1 has no id'],
      ['start', `Form field "iin" pattern "^(\\d{12}$" is not a valid regular expression: ${regexpError('^(\\d{12}$')}`],
      ['start', 'Form field "count" has constraint iin-bin but is of type "long"; an IIN/BIN is a string'],
      ['start', 'Form field "holder" constraint iin-bin takes no config, "iin" or "bin", got "passport"'],
      ['bad-form', `Form field "amount" has type "double"; ${TYPES}`],
      ['bad-form', `Form field "note" has no type; ${TYPES}`],
      ['bad-form', 'Form field id "amount" is used more than once'],
      ['bad-form', 'Enum form field "variant" has no values (camunda:value)'],
      ['bad-form', 'Form field "name" constraint minlength needs a number, got "two"'],
      ['bad-form', 'Form field "name" has unsupported constraint "validator"; supported: required, readonly, pattern, minlength, maxlength, min, max, iin-bin'],
      ['bad-form', 'Form field "name" has a pattern constraint without a regular expression (config)'],
    ],
    'invalid-properties.bpmn': () => [
      ['resolve', 'Form field "count" property multiline must be true or false, got "yes"'],
      ['resolve', 'Form field "count" property multiline is for a string field, not type "long"'],
      ['resolve', 'Form field "executor" property choices is for a string field (the chosen user\'s id), not type "enum"'],
      ['resolve', 'Form field "note" has unsupported property "placeholder"; supported: multiline, choices, requiredIf'],
      ['conclude', 'camunda:assignee "${users.first()}" must be a user id or ${variable} naming a users-of-group form field; no other expression is evaluated'],
      ['conclude', 'Form field "text" property requiredIf compares boolean field "positive" with "no"; use true or false'],
      ['conclude', 'Form field "reason" property requiredIf compares enum field "decision" with "refused", which is none of its values'],
      ['conclude', 'Form field "other" property requiredIf names "missing", which is no other field of this form'],
      ['conclude', 'Form field "loose" property requiredIf must be <field>=<value>, got "positive"'],
    ],
    'invalid-patterns.bpmn': () => [
      ['start', `Form field "nested" pattern "^(a+)+$" ${BACKTRACKS}`],
      ['start', `Form field "words" pattern "^(\\w+\\s?)*$" ${BACKTRACKS}`],
    ],
  },
  'no-script': {
    'invalid.bpmn': () => [
      ['code', `Execution listener (event "start") runs code (class "kz.gov.AuditListener"): ${NO_CODE}; listeners are not allowed`],
      ['read-users', `Script task (scriptFormat "javascript"): ${NO_CODE}; ${USE_HANDLER}`],
      ['empty-script', `Script task: ${NO_CODE}; ${USE_HANDLER}`],
      ['external-script', `Script task (scriptFormat "groovy", resource "deployment://check.groovy"): ${NO_CODE}; ${USE_HANDLER}`],
      ['script-condition', `Condition is a script (language "javascript"): ${NO_CODE}; write a \${...} expression over process variables`],
      ['mapped', `camunda:script (scriptFormat "javascript") in an input/output mapping: ${NO_CODE}`],
      ['listened', `Task listener (event "create") runs code (class "kz.gov.Assign"): ${NO_CODE}; listeners are not allowed`],
      ['listened', `Task listener (event "complete") runs code (expression "\${audit.log(task)}"): ${NO_CODE}; listeners are not allowed`],
      ['listened', `Task listener (event "assignment") runs code (delegateExpression "\${assigner}"): ${NO_CODE}; listeners are not allowed`],
      ['listened', `Execution listener (event "end") runs code (script "javascript"): ${NO_CODE}; listeners are not allowed`],
      ['scripted-wait', `Condition is a script (language "javascript"): ${NO_CODE}; write a \${...} expression over process variables`],
    ],
  },
  timer: {
    'invalid.bpmn': () => [
      ['zero-duration', `Timer duration "PT0S" does not wait: ${AT_LEAST_ONE_SECOND}`],
      ['zero-days', `Timer duration "P0D" does not wait: ${AT_LEAST_ONE_SECOND}`],
      ['negative-duration', `Timer duration "-PT1S" is negative: ${AT_LEAST_ONE_SECOND}`],
      ['sub-second', `Timer duration "PT0.5S" does not wait: ${AT_LEAST_ONE_SECOND}`],
      ['garbage-duration', 'Timer duration "soon" is not an ISO 8601 duration (e.g. PT2H, P3D, P1M)'],
      ['unbounded-cycle', `Timer cycle "R/PT1S" repeats without end: ${BOUNDED_CYCLE}`],
      ['negative-repeat-cycle', `Timer cycle "R-1/PT1S" repeats without end: ${BOUNDED_CYCLE}`],
      ['long-cycle', `Timer cycle "R1000/PT1H" repeats 1000 times: ${BOUNDED_CYCLE}`],
      ['zero-period-cycle', `Timer cycle "R5/PT0S" does not wait between repetitions: ${AT_LEAST_ONE_SECOND}`],
      ['cron-cycle', `Timer cycle "0 0 9 * * ?" is not a bounded cycle: ${BOUNDED_CYCLE}`],
      ['garbage-date', 'Timer date "tomorrow" is not an ISO 8601 date-time (e.g. 2026-03-02T09:00:00+05:00)'],
      ['bad-expression', `Timer duration "\${delay ==}" is invalid: ${expressionError('${delay ==}')}`],
      ['no-value', 'Timer has no value: set a duration (timeDuration), a date (timeDate) or a bounded cycle (timeCycle)'],
      ['two-values', 'Timer has 2 values (timeDuration, timeDate); keep exactly one'],
    ],
  },
  'call-activity-target': {
    'invalid.bpmn': () => [
      ['no-target', 'Call activity has no called process key (calledElement)'],
      ['unknown-target', 'Called process "ghost-process" is neither deployed nor part of this deployment'],
      ['self-call', 'Called process "caller" is defined in this same file: the engine would run it inside the caller (a process calling itself never ends); call a process deployed from its own file'],
    ],
  },
  'form-field-not-produced': {
    'invalid.bpmn': () => [
      ['start', 'Form field "registrationNumber" is a variable that handler registry.assign-number produces; a form may not set it (rename the field)'],
      ['formalise', 'Form field "resultDocument" is a variable that handlers cabinet.notify, result.form produce; a form may not set it (rename the field)'],
      ['formalise', 'Form field "lastErrorCode" is a variable that the host (BPMN error of a handler) produces; a form may not set it (rename the field)'],
    ],
  },
  act: {
    'invalid-incomplete.bpmn': () => [
      ['incomplete', 'Act of process "incomplete": "act.kind" is missing'],
      ['incomplete', 'Act of process "incomplete": "act.date" is missing'],
      ['incomplete', 'Act of process "incomplete": "act.registration" is missing'],
      ['incomplete', 'Act of process "incomplete": "act.annex" is missing'],
      ['incomplete', 'Act of process "incomplete": "act.status" is "repealed" but "act.repealedBy" does not name the repealing act'],
    ],
    'invalid-malformed.bpmn': () => [
      ['malformed', `Act of process "malformed": unknown property "act.registry" (known: ${KNOWN_ACT_PROPERTIES})`],
      ['malformed', 'Act of process "malformed": "act.kind" is "qauly", not one of order, resolution, decree, law'],
      ['malformed', 'Act of process "malformed": "act.date" is "2014-02-30", not a date YYYY-MM-DD'],
      ['malformed', 'Act of process "malformed": "act.annex" is "first": write the annex number, "only" (the act\'s single annex) or "none" (the act\'s own text)'],
      ['malformed', 'Act of process "malformed": "act.repealedBy" is "resolution 102-234, 9 Feb 2016": write "<kind> No <number> of <YYYY-MM-DD>", e.g. "resolution No 102-234 of 2016-02-09"'],
      ['malformed', 'Act of process "malformed": "act.status" is "in-force" yet "act.repealedBy" is set'],
    ],
  },
  'signing-step': {
    'invalid.bpmn': () => [
      ['unknown-kind', `Signing step "Sign" (unknown-kind) property signs "diploma" is no kind of document the server renders (${SIGNED_KINDS})`],
      ['no-signs', 'Signing step "Sign" (no-signs) property grantedIf needs property signs: the kind signed when the service is granted'],
      ['always-refusal', 'Signing step always-refusal signs a refusal on every path; property grantedIf "decision=issued" has nothing to choose'],
      ['expression', `Signing step "Sign" (expression) property grantedIf condition "\${decision == 'issued'}" must be <variable>=<value> (several joined by ";")`],
      ['undeclared', 'Signing step "Sign" (undeclared) property grantedIf condition "outcome=refused" names "outcome", which is no boolean or enum form field of another step of this process'],
      ['text-field', 'Signing step "Sign" (text-field) property grantedIf condition "refusalReason=yes" names "refusalReason", which is no boolean or enum form field of another step of this process'],
      ['wrong-boolean', 'Signing step "Sign" (wrong-boolean) property grantedIf condition "requirementsMet=no" compares boolean field "requirementsMet" with "no"; use true or false'],
      ['wrong-enum', 'Signing step "Sign" (wrong-enum) property grantedIf condition "decision=denied" compares enum field "decision" with "denied", which is none of its values'],
      // Several conditions: each is checked alone and an error names the one at fault.
      ['one-bad-of-two', 'Signing step "Sign" (one-bad-of-two) property grantedIf condition "decision=denied" compares enum field "decision" with "denied", which is none of its values'],
      ['empty-condition', 'Signing step "Sign" (empty-condition) property grantedIf condition "" must be <variable>=<value> (several joined by ";")'],
      ['named-twice', 'Signing step "Sign" (named-twice) property grantedIf condition "decision=refused" names "decision" again; name each field once'],
      ['joined-with-and', 'Signing step "Sign" (joined-with-and) property grantedIf condition "requirementsMet=true && decision=issued" compares boolean field "requirementsMet" with "true && decision=issued"; use true or false'],
      ['separator-in-enum', 'Signing step "Sign" (separator-in-enum) property grantedIf condition "channel=portal" compares enum field "channel", whose values hold ";" (the separator of conditions); rename them'],
      ['service-signs', 'Property signs on "Issue" (service-signs): only a user task is a signing step'],
    ],
  },
  startable: {
    'invalid-unstated.bpmn': () => [['unstated', unstated('unstated')]],
    'invalid-blank.bpmn': () => [['blank', unstated('blank')]],
    'invalid-both.bpmn': () => [
      ['both', 'Process "both" is not startable (camunda:isStartableInTasklist="false") yet names candidate starters (office); a flow started only by call activities has none: clear "Candidate starter groups" and "Candidate starter users"'],
    ],
  },
};

const SIGNED_KINDS = 'licence, permit, certificate, attestat, notification, refusal';

const KNOWN_ACT_PROPERTIES = 'act.body, act.body.ru, act.body.en, act.kind, act.number, act.date, act.registration, act.registrationDate, act.status, act.repealedBy, act.annex, act.amends, act.title, act.textFile';

function unstated(key: string): string {
  return `Process "${key}" does not say who may start it: in the modeler's properties panel name the groups under "Candidate starter groups" (camunda:candidateStarterGroups) or the users under "Candidate starter users" (camunda:candidateStarterUsers), or, for a flow started only by call activities, untick "Startable" (camunda:isStartableInTasklist="false")`;
}

function regexpError(source: string): string {
  try {
    new RegExp(source);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`RegExp accepted ${source}`);
}

async function lintFixture(rule: string, file: string) {
  const parsed = await parseBpmn(readFileSync(join(FIXTURES, rule, file), 'utf8'), file);
  expect(parsed.problems).toEqual([]);
  return lintDefinition(parsed, { file, handlers: HANDLERS, processKeys: PROCESS_KEYS, producedVariables: PRODUCED, onlyRules: [`reglament/${rule}`] });
}

const ruleNames = Object.keys(reglamentRules);

it('has a fixture folder with valid and invalid diagrams for every rule', () => {
  expect([...ruleNames].sort()).toEqual(Object.keys(EXPECTED).sort());
  for (const rule of ruleNames) {
    const files = readdirSync(join(FIXTURES, rule));
    expect(files.some((f) => /^valid.*\.bpmn$/.test(f))).toBe(true);
    expect(files.filter((f) => /^invalid.*\.bpmn$/.test(f)).sort()).toEqual(Object.keys(EXPECTED[rule]).sort());
  }
});

describe.each(ruleNames)('reglament/%s', (rule) => {
  const files = readdirSync(join(FIXTURES, rule)).filter((f) => f.endsWith('.bpmn'));

  it.each(files.filter((f) => f.startsWith('valid')))('accepts %s', async (file) => {
    expect(await lintFixture(rule, file)).toEqual([]);
  });

  it.each(files.filter((f) => f.startsWith('invalid')))('reports %s', async (file) => {
    const problems = await lintFixture(rule, file);
    expect(problems.map((p) => [p.elementId, p.message])).toEqual(EXPECTED[rule][file]());
    for (const problem of problems) {
      expect(problem).toMatchObject({ file, rule: `reglament/${rule}`, severity: 'error' });
      expect(problem.line).toEqual(expect.any(Number));
    }
  });
});

/*
 * bpmnlint's no-overlapping-elements compares every pair of shapes: a 4.5 MB diagram kept the event
 * loop busy for 110 s. The host resolves that rule name to its own sort-and-sweep version, which must
 * report exactly what bpmnlint's does.
 */
describe('no-overlapping-elements, resolved to the sweep version', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- bpmnlint's rules ship no type declarations
  const bpmnlintOriginal = require('bpmnlint/rules/no-overlapping-elements') as () => { check: (node: unknown, reporter: unknown) => void };

  async function reportsOf(factory: () => { check: unknown }, xml: string): Promise<string[]> {
    const parsed = await parseBpmn(xml, 'random.bpmn');
    expect(parsed.problems).toEqual([]);
    const reports: string[] = [];
    const rule = factory() as { check: (node: unknown, reporter: unknown) => void };
    rule.check(parsed.definitions, { report: (id: string, message: string) => reports.push(`${id}: ${message}`) });
    return reports.sort();
  }

  it.each(Array.from({ length: 40 }, (_, seed) => seed + 1))('reports what bpmnlint reports on random diagram %d', async (seed) => {
    const xml = randomLayout(seed);
    const ours = await reportsOf(new ReglamentResolver().resolveRule('bpmnlint', 'no-overlapping-elements') as () => { check: unknown }, xml);
    expect(ours).toEqual(await reportsOf(bpmnlintOriginal, xml));
  });

  it('finds overlaps and shapes outside their parent at all', async () => {
    // The random layouts must exercise both messages, or the comparison above proves little.
    const all = (await Promise.all(Array.from({ length: 40 }, (_, seed) => reportsOf(bpmnlintOriginal, randomLayout(seed + 1))))).flat();
    expect(all.filter((r) => r.endsWith('Element overlaps with other element')).length).toBeGreaterThan(40);
    expect(all.filter((r) => r.endsWith('Element is outside of parent boundary')).length).toBeGreaterThan(10);
  });

  it.each([
    ['laid out in rows', false],
    ['all at one spot', true],
  ])('lints the largest accepted diagram, %s, without hanging', async (_layout, overlapping) => {
    const xml = chainDiagram({ tasks: 2200, overlapping });
    const parsed = await parseBpmn(xml, 'big.bpmn');
    expect(parsed.problems).toEqual([]);
    const started = Date.now();
    const problems = await lintDefinition(parsed, { file: 'big.bpmn', handlers: HANDLERS, processKeys: PROCESS_KEYS });
    // A hang guard, not a speed goal (that is the bench's): bpmnlint's pairwise rule took 5 s here and
    // 110 s on a 4.5 MB diagram; the sweep takes a fraction of a second even on a busy machine.
    expect(Date.now() - started).toBeLessThan(20_000);
    const overlaps = problems.filter((p) => p.rule === 'no-overlapping-elements');
    expect(overlaps).toHaveLength(overlapping ? 2200 : 0);
    if (overlapping) expect(overlaps[0]).toMatchObject({ elementId: 't0', severity: 'warning', line: expect.any(Number) });
  });
});

describe('diagram size', () => {
  it('refuses a document with more XML elements than the bound before reading it, with the counts', async () => {
    const xml = chainDiagram({ tasks: 9800 });
    expect(xml.length).toBeGreaterThan(4_400_000);
    const parsed = await parseBpmn(xml, 'big.bpmn');
    expect(parsed.definitions).toBeUndefined();
    const count = xml.match(/<[A-Za-z_]/g)!.length;
    expect(parsed.problems).toEqual([
      {
        file: 'big.bpmn',
        rule: 'reglament/diagram-size',
        severity: 'error',
        message: `The diagram has ${count} XML elements; at most ${MAX_XML_ELEMENTS} are accepted (the largest reglament has under 1000): split it, or move shared steps into a called process`,
      },
    ]);
  });

  it('reads a document at the bound', async () => {
    const xml = chainDiagram({ tasks: 2200 });
    expect(xml.match(/<[A-Za-z_]/g)!.length).toBeLessThanOrEqual(MAX_XML_ELEMENTS);
    const parsed = await parseBpmn(xml, 'big.bpmn');
    expect(parsed.problems).toEqual([]);
    expect(parsed.definitions).toBeDefined();
  });
});

/** A deterministic pseudo-random layout: two pools, tasks, boundary events, sub-processes (expanded or not), shapes without bounds. */
function randomLayout(seed: number): string {
  let state = seed * 7919;
  const next = (n: number) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return Math.floor((state / 2147483648) * n);
  };
  const shapes: string[] = [];
  const bounds = (id: string, x: number, y: number, w: number, h: number, extra = '') =>
    shapes.push(`<bpmndi:BPMNShape id="${id}_di" bpmnElement="${id}"${extra}><dc:Bounds x="${x}" y="${y}" width="${w}" height="${h}" /></bpmndi:BPMNShape>`);
  const box = () => [next(40) * 10, next(40) * 10, 20 + next(9) * 10, 20 + next(9) * 10] as const;
  const processes: string[] = [];
  const participants: string[] = [];
  for (const p of [1, 2]) {
    const elements: string[] = [];
    const count = 4 + next(12);
    for (let i = 0; i < count; i++) {
      const id = `p${p}-e${i}`;
      const kind = next(10);
      if (kind < 6) {
        elements.push(`<bpmn:task id="${id}" name="${id}" />`);
        if (next(4) > 0) bounds(id, ...box());
        if (next(3) === 0) {
          elements.push(`<bpmn:boundaryEvent id="${id}-b" name="b" attachedToRef="${id}" />`);
          bounds(`${id}-b`, ...box());
        }
      } else if (kind < 8) {
        const children = Array.from({ length: 1 + next(4) }, (_, c) => `${id}-c${c}`);
        elements.push(`<bpmn:subProcess id="${id}" name="${id}">${children.map((c) => `<bpmn:task id="${c}" name="${c}" />`).join('')}</bpmn:subProcess>`);
        bounds(id, ...box(), ` isExpanded="${next(2) === 0}"`);
        for (const c of children) bounds(c, ...box());
      } else if (kind < 9) {
        elements.push(`<bpmn:dataStoreReference id="${id}" name="${id}" />`);
        bounds(id, ...box());
      } else {
        elements.push(`<bpmn:task id="${id}" name="${id}" />`);
        shapes.push(`<bpmndi:BPMNShape id="${id}_di" bpmnElement="${id}"><dc:Bounds x="${next(400)}" y="${next(400)}" /></bpmndi:BPMNShape>`);
      }
    }
    processes.push(`<bpmn:process id="proc-${p}" isExecutable="${p === 1}">${elements.join('')}</bpmn:process>`);
    participants.push(`<bpmn:participant id="pool-${p}" name="Pool ${p}" processRef="proc-${p}" />`);
    bounds(`pool-${p}`, next(10) * 10, (p - 1) * 200, 250 + next(20) * 10, 150 + next(10) * 10);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" id="defs" targetNamespace="http://bpmn.io/schema/bpmn">
<bpmn:collaboration id="collaboration">${participants.join('')}</bpmn:collaboration>
${processes.join('\n')}
<bpmndi:BPMNDiagram id="diagram"><bpmndi:BPMNPlane id="plane" bpmnElement="collaboration">${shapes.join('')}</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>`;
}
