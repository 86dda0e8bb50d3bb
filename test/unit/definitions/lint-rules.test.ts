/**
 * Fixture-driven tests of the reglament/* lint rules, in the style of bpmnlint's own rule tests:
 * test/fixtures/lint/<rule>/valid*.bpmn must produce no report of the rule, invalid*.bpmn exactly the
 * reports listed below (element id and message, in report order). Each file is linted with only the
 * rule under test, so recommended rules (no-bpmndi, ...) do not interfere with the tiny diagrams.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTimeLimit } from '../../../src/calendar/time-limit';
import { lintDefinition, reglamentRules } from '../../../src/definitions/lint';
import { parseBpmn } from '../../../src/definitions/parse';
import { validateExpression } from '../../../src/runtime/expressions';

const FIXTURES = join(__dirname, '../../fixtures/lint');
const HANDLERS = ['registry.assign-number', 'licence.issue', 'refusal.issue'];
const PROCESS_KEYS = ['known-process'];
/** Variable -> who produces it, as HandlerRegistry.producers() gives it. */
const PRODUCED = new Map([
  ['registrationNumber', ['registry.assign-number']],
  ['resultDocument', ['cabinet.notify', 'result.sign']],
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
    ],
  },
  'form-fields': {
    'invalid.bpmn': () => [
      ['start', 'Form field #1 has no id'],
      ['start', `Form field "iin" pattern "^(\\d{12}$" is not a valid regular expression: ${regexpError('^(\\d{12}$')}`],
      ['bad-form', `Form field "amount" has type "double"; ${TYPES}`],
      ['bad-form', `Form field "note" has no type; ${TYPES}`],
      ['bad-form', 'Form field id "amount" is used more than once'],
      ['bad-form', 'Enum form field "variant" has no values (camunda:value)'],
      ['bad-form', 'Form field "name" constraint minlength needs a number, got "two"'],
      ['bad-form', 'Form field "name" has unsupported constraint "validator"; supported: required, readonly, pattern, minlength, maxlength, min, max'],
      ['bad-form', 'Form field "name" has a pattern constraint without a regular expression (config)'],
    ],
  },
  'call-activity-target': {
    'invalid.bpmn': () => [
      ['no-target', 'Call activity has no called process key (calledElement)'],
      ['unknown-target', 'Called process "ghost-process" is neither deployed nor part of this deployment'],
    ],
  },
  'form-field-not-produced': {
    'invalid.bpmn': () => [
      ['start', 'Form field "registrationNumber" is a variable that handler registry.assign-number produces; a form may not set it (rename the field)'],
      ['formalise', 'Form field "resultDocument" is a variable that handlers cabinet.notify, result.sign produce; a form may not set it (rename the field)'],
      ['formalise', 'Form field "lastErrorCode" is a variable that the host (BPMN error of a handler) produces; a form may not set it (rename the field)'],
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
