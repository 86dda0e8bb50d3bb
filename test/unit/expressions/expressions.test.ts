import { EventEmitter } from 'node:events';
import { Engine } from 'bpmn-engine';
import * as parser from '../../../src/expressions/parser';
import { createExpressions, ExpressionError, validateExpression } from '../../../src/expressions';

const expressions = createExpressions();

type Vars = Record<string, unknown>;

/** The shape bpmn-elements passes: `{ environment, ...cloneMessage(message) }`. */
function context(variables: Vars, extra: Record<string, unknown> = {}) {
  return {
    environment: { variables, services: { twice: (n: number) => n * 2, echo: (...args: unknown[]) => args } },
    fields: { routingKey: 'run.execute' },
    content: { id: 'task-1', executionId: 'task-1_0', output: { id: 'from-output', approved: true }, input: 21 },
    properties: { messageId: 'm1' },
    ...extra,
  };
}

const resolve = (text: string, variables: Vars = {}) => expressions.resolveExpression(text, context(variables));

function errorOf(text: string, variables: Vars = {}): ExpressionError {
  try {
    resolve(text, variables);
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw error;
  }
  throw new Error(`"${text}" resolved without error`);
}

describe('expression grammar', () => {
  it.each<[string, Vars, unknown]>([
    // literals
    ['${true}', {}, true],
    ['${false}', {}, false],
    ['${null}', {}, null],
    ['${42}', {}, 42],
    ['${3.25}', {}, 3.25],
    ['${1e3}', {}, 1000],
    ['${-7}', {}, -7],
    ["${'text'}", {}, 'text'],
    ['${"text"}', {}, 'text'],
    // names, paths, indexes
    ['${variant}', { variant: 'duplicate' }, 'duplicate'],
    ['${applicant.address.city}', { applicant: { address: { city: 'Астана' } } }, 'Астана'],
    ["${applicant['address'][\"city\"]}", { applicant: { address: { city: 'Шымкент' } } }, 'Шымкент'],
    ['${docs[0].name}', { docs: [{ name: 'passport' }] }, 'passport'],
    ['${docs[-1]}', { docs: ['a', 'b', 'c'] }, 'c'],
    ['${docs[i]}', { docs: ['a', 'b'], i: 1 }, 'b'],
    ['${docs.length}', { docs: ['a', 'b'] }, 2],
    ['${өтініш}', { өтініш: 'бар' }, 'бар'],
    ['${x.empty}', { x: { empty: 'a property named like an operator' } }, 'a property named like an operator'],
    // comparison
    ["${variant == 'duplicate'}", { variant: 'duplicate' }, true],
    ["${variant == 'duplicate'}", { variant: 'issue' }, false],
    ["${variant != 'duplicate'}", { variant: 'issue' }, true],
    ['${documentsComplete == false}', { documentsComplete: false }, true],
    ['${documentsComplete == false}', { documentsComplete: true }, false],
    ['${n < 3}', { n: 2 }, true],
    ['${n <= 2}', { n: 2 }, true],
    ['${n > 2}', { n: 2 }, false],
    ['${n >= 2}', { n: 2 }, true],
    ["${day < '2025-03-01'}", { day: '2025-02-28' }, true],
    // logic
    ['${!qualificationMet}', { qualificationMet: true }, false],
    ['${!qualificationMet}', { qualificationMet: false }, true],
    ["${amount >= 100 && type == 'paper'}", { amount: 150, type: 'paper' }, true],
    ["${amount >= 100 && type == 'paper'}", { amount: 50, type: 'paper' }, false],
    ['${a || b}', { a: false, b: true }, true],
    ['${a || b}', { a: false, b: false }, false],
    ['${(a)}', { a: 'x' }, 'x'],
    // empty
    ['${empty x}', { x: null }, true],
    ['${empty x}', {}, true],
    ['${empty x}', { x: '' }, true],
    ['${empty x}', { x: [] }, true],
    ['${empty x}', { x: {} }, true],
    ['${empty x}', { x: [1] }, false],
    ['${empty x}', { x: 'a' }, false],
    ['${empty x}', { x: 0 }, false],
    ['${!empty x}', { x: 'a' }, true],
  ])('%s with %j is %j', (text, variables, expected) => {
    expect(resolve(text, variables)).toEqual(expected);
  });

  it.each<[string, Vars, boolean]>([
    // && binds tighter than ||
    ['${a || b && c}', { a: true, b: false, c: false }, true],
    ['${(a || b) && c}', { a: true, b: false, c: false }, false],
    ['${a && b || c}', { a: false, b: true, c: true }, true],
    // comparison binds tighter than logic; relational tighter than equality
    ['${n > 2 && n < 5}', { n: 3 }, true],
    ['${n > 2 == true}', { n: 3 }, true],
    ['${true == n > 2}', { n: 1 }, false],
    // unary binds tighter than comparison
    ['${!a == false}', { a: true }, true],
    ['${!empty x && x == 1}', { x: 1 }, true],
    ['${empty x || x == 0}', { x: 0 }, true],
    ['${!(a && b)}', { a: true, b: false }, true],
    ['${!!a}', { a: true }, true],
    // left associative
    ['${a == b == c}', { a: 1, b: 1, c: true }, true],
  ])('precedence: %s with %j is %s', (text, variables, expected) => {
    expect(resolve(text, variables)).toBe(expected);
  });

  it.each<[string, Vars, boolean]>([
    ['${a&&b}', { a: true, b: true }, true],
    ['${n>=2&&n<=4}', { n: 4 }, true],
    ["${variant=='new'&&!rejected||count>2}", { variant: 'old', rejected: true, count: 3 }, true],
  ])('spacing: %s with %j is %s', (text, variables, expected) => {
    expect(resolve(text, variables)).toBe(expected);
  });

  // JUEL's word operators are not the language (no diagram uses them); each is refused with the
  // symbol to write instead.
  it.each<[string, number, string]>([
    ["${variant eq 'duplicate'}", 11, 'Unexpected "eq" (write ==)'],
    ["${variant ne 'duplicate'}", 11, 'Unexpected "ne" (write !=)'],
    ['${n lt 3}', 5, 'Unexpected "lt" (write <)'],
    ['${n le 2}', 5, 'Unexpected "le" (write <=)'],
    ['${n gt 2}', 5, 'Unexpected "gt" (write >)'],
    ['${n ge 2}', 5, 'Unexpected "ge" (write >=)'],
    ['${a and b}', 5, 'Unexpected "and" (write &&)'],
    ['${a or b}', 5, 'Unexpected "or" (write ||)'],
    ['${not a}', 3, 'Unexpected "not" (write !)'],
    ["${variant eq 'new' and not rejected or count gt 2}", 11, 'Unexpected "eq" (write ==)'],
  ])('word operator %s fails at column %d: %s', (text, column, reason) => {
    const error = errorOf(text);
    expect(error.column).toBe(column);
    expect(error.reason).toBe(reason);
    expect(validateExpression(text)).toBe(error.message);
  });

  it.each<[string, Vars, boolean]>([
    ["${reason == 'it\\'s late'}", { reason: "it's late" }, true],
    ['${reason == "say \\"hi\\""}', { reason: 'say "hi"' }, true],
    ['${reason == "it\'s"}', { reason: "it's" }, true],
    ["${reason == 'say \"hi\"'}", { reason: 'say "hi"' }, true],
    ["${path == 'a\\\\b'}", { path: 'a\\b' }, true],
    ["${line == 'a\\nb'}", { line: 'a\nb' }, true],
    ["${text == 'a}b'}", { text: 'a}b' }, true],
    ["${text == '${x}'}", { text: '${x}' }, true],
    ["${text == 'a && b == c'}", { text: 'a && b == c' }, true],
    ["${text == ''}", { text: '' }, true],
  ])('strings: %s with %j is %s', (text, variables, expected) => {
    expect(resolve(text, variables)).toBe(expected);
  });

  it.each<[string, Vars, boolean]>([
    // JUEL-style coercion of mixed types
    ["${n == '3'}", { n: 3 }, true],
    ['${n == 3}', { n: '3' }, true],
    ['${n > 2}', { n: '10' }, true],
    ['${flag == true}', { flag: 'TRUE' }, true],
    ['${flag == false}', { flag: 'false' }, true],
    ['${!flag}', { flag: 'false' }, true],
    ['${flag && true}', { flag: 'yes' }, false],
    ["${n == 'abc'}", { n: 3 }, false],
    ['${n == 0}', { n: '' }, false],
    ['${x == y}', { x: { a: 1 }, y: { a: 1 } }, false],
    ["${s > 'b'}", { s: 'c' }, true],
    ["${s < 'B'}", { s: 'a' }, false],
    // null and missing values: equal to each other; not ordered
    ['${x == null}', { x: null }, true],
    ['${n > 0}', { n: null }, false],
    ['${n <= 0}', {}, false],
    ['${flag == true}', { flag: 1 }, false],
  ])('coercion: %s with %j is %s', (text, variables, expected) => {
    expect(resolve(text, variables)).toBe(expected);
  });
});

describe('name resolution', () => {
  it.each<[string, Vars, unknown]>([
    ['${missing}', {}, undefined],
    ['${missing == null}', {}, true],
    ['${missing != null}', {}, false],
    ["${missing == 'duplicate'}", {}, false],
    ['${missing.deeper.still}', {}, undefined],
    ['${missing[0]}', {}, undefined],
    ['${holder.missing == null}', { holder: {} }, true],
    // only own variables: nothing from Object.prototype
    ['${toString}', {}, undefined],
    ['${hasOwnProperty == null}', {}, true],
    // bare names never read the source activity's output (content.output.id is "from-output")
    ['${id}', {}, undefined],
    ['${approved == true}', {}, false],
    ['${id}', { id: 'variable' }, 'variable'],
  ])('%s with %j is %j', (text, variables, expected) => {
    expect(resolve(text, variables)).toBe(expected);
  });

  it('resolves everything to undefined without a context', () => {
    expect(expressions.resolveExpression('${x}')).toBeUndefined();
    expect(expressions.resolveExpression('${x}', null)).toBeUndefined();
    expect(expressions.resolveExpression('${x == null}', {})).toBe(true);
  });

  it('does not read prototypes through computed keys', () => {
    expect(resolve("${x['constructor']}", { x: {} })).toBeUndefined();
    expect(resolve('${x[k]}', { x: {}, k: '__proto__' })).toBeUndefined();
    expect(resolve('${x[k]}', { x: {}, k: { not: 'a key' } })).toBeUndefined();
  });

  it.each<[string, Vars]>([
    ['${x.toString}', { x: {} }],
    ['${x.hasOwnProperty}', { x: { a: 1 } }],
    ["${x['valueOf']}", { x: [] }],
    ['${s.toUpperCase}', { s: 'text' }],
  ])('reads only own properties of a value: %s is undefined', (text, variables) => {
    expect(resolve(text, variables)).toBeUndefined();
  });
});

/*
 * Diagrams are deployed by group deployer through Camunda Modeler: an expression must not reach the
 * engine's environment (its services, settings, the variables of bpmn-elements' bookkeeping), the
 * message being processed, Node's globals or a constructor. Each attempt is an ExpressionError, so
 * it is refused at deployment (reglament/condition-expression, reglament/timer) and fails a run.
 */
describe('no way out of the variables', () => {
  const notReadable = (name: string) => `"${name}" is not readable: an expression reads process variables by their plain names`;
  it.each<[string, number, string]>([
    ['${environment.variables.count}', 3, notReadable('environment')],
    ['${environment.services.twice(4)}', 3, notReadable('environment')],
    ['${environment.settings}', 3, notReadable('environment')],
    ['${environment.variables.table[spaced name]}', 3, notReadable('environment')],
    ['${environment.variables.first-name}', 3, notReadable('environment')],
    ['${count == environment.variables.count}', 12, notReadable('environment')],
    ['${content.output.approved == true}', 3, notReadable('content')],
    ['${content.id}', 3, notReadable('content')],
    ['${fields.routingKey}', 3, notReadable('fields')],
    ["${properties['messageId']}", 3, notReadable('properties')],
    ['${services.twice}', 3, notReadable('services')],
    ['${process.env}', 3, notReadable('process')],
    ['${process.mainModule}', 3, notReadable('process')],
    ['${globalThis.process}', 3, notReadable('globalThis')],
    ['${global}', 3, notReadable('global')],
    ['${require}', 3, notReadable('require')],
    ['${module.exports}', 3, notReadable('module')],
    ['${this}', 3, notReadable('this')],
    ['${x.constructor}', 5, 'Access to "constructor" is not allowed'],
    ['${x.__proto__}', 5, 'Access to "__proto__" is not allowed'],
    ['${x.prototype}', 5, 'Access to "prototype" is not allowed'],
    ['${twice(4)}', 8, 'Function calls are not supported'],
    ['${x.toString()}', 13, 'Function calls are not supported'],
    ['${ok(x) && y}', 5, 'Function calls are not supported'],
    ['Hello ${name}, ${content.id}', 18, notReadable('content')],
  ])('%s fails at column %d: %s', (text, column, reason) => {
    const error = errorOf(text);
    expect(error.column).toBe(column);
    expect(error.reason).toBe(reason);
    expect(validateExpression(text, { template: true })).toBe(error.message);
  });

  it('calls no service of the environment and leaks nothing, whatever the text', () => {
    const ctx = context({});
    const calls: unknown[] = [];
    (ctx.environment.services as Record<string, unknown>).who = (...args: unknown[]) => calls.push(args);
    for (const text of ['${environment.services.who()}', 'x ${environment.services.who()} y', '${environment.services.who}']) {
      expect(() => expressions.resolveExpression(text, ctx, {})).toThrow(ExpressionError);
    }
    expect(calls).toEqual([]);
  });
});

describe('templates', () => {
  it.each<[string, Vars, unknown]>([
    ['Hello ${name}, no. ${n}', { name: 'Айгүл', n: 7 }, 'Hello Айгүл, no. 7'],
    ['${a}${b}', { a: 1, b: 2 }, '12'],
    ['${a} ', { a: 1 }, 1],
    ['\n    ${a}\n  ', { a: false }, false],
    ['n=${n}', { n: 0 }, 'n=0'],
    ['x=${x};y=${y}', { x: null }, 'x=;y='],
    ['ok: ${n > 1}', { n: 2 }, 'ok: true'],
    ['list: ${list}', { list: ['a', 'b'] }, 'list: a,b'],
    ['no expression here', {}, 'no expression here'],
    ['braces {} and $ alone', {}, 'braces {} and $ alone'],
    ['', {}, ''],
  ])('%j with %j is %j', (text, variables, expected) => {
    expect(resolve(text, variables)).toEqual(expected);
  });

  it('returns non-strings untouched', () => {
    expect(expressions.resolveExpression(undefined)).toBeUndefined();
    expect(expressions.resolveExpression(5)).toBe(5);
    const object = { a: 1 };
    expect(expressions.resolveExpression(object)).toBe(object);
  });

  it.each<[unknown, boolean, boolean]>([
    ['${a}', true, true],
    ['  ${a == 1} ', true, true],
    ['${a} and ${b}', false, true],
    ['x ${a}', false, true],
    ['plain', false, false],
    ['${unclosed', false, false],
    ['', false, false],
    [undefined, false, false],
    [42, false, false],
  ])('isExpression(%j) is %s, hasExpression is %s', (text, isOne, hasOne) => {
    expect(expressions.isExpression(text)).toBe(isOne);
    expect(expressions.hasExpression(text)).toBe(hasOne);
  });
});

describe('errors', () => {
  it.each<[string, number, string]>([
    ['${variant == }', 14, 'Unexpected end of expression'],
    ["${variant == 'duplicate'", 1, 'Unclosed "${"'],
    ['${variant = 1}', 11, 'Unexpected character "=" (use == to compare)'],
    ['${a & b}', 5, 'Unexpected character "&" (use &&)'],
    ['${a | b}', 5, 'Unexpected character "|" (use ||)'],
    ['${a && && b}', 8, 'Unexpected "&&"'],
    ["${'open}", 3, 'Unterminated string'],
    ['${}', 3, 'Empty expression'],
    ['${   }', 6, 'Empty expression'],
    ['${(a || b}', 10, 'Expected ")" but found the end of the expression'],
    ['${x[0}', 6, 'Expected "]" but found the end of the expression'],
    ['${a b}', 5, 'Unexpected "b"'],
    ["${a 'b'}", 5, 'Unexpected string'],
    ['${a.}', 5, 'Expected a property name after "."'],
    ['${a.1}', 5, 'Expected a property name after "."'],
    ['${n + 1}', 5, 'Unexpected character "+"'],
    ['${n > -x}', 8, 'Expected a number after "-" (there is no arithmetic)'],
    ['${and}', 3, 'Unexpected "and" (write &&)'],
    ['${a &&}', 7, 'Unexpected end of expression'],
    ['${empty}', 8, 'Unexpected end of expression'],
    ['${x.constructor}', 5, 'Access to "constructor" is not allowed'],
    ['${__proto__}', 3, 'Access to "__proto__" is not allowed'],
    ['${x.constructor.constructor(1)}', 5, 'Access to "constructor" is not allowed'],
    ['${isValid(x)}', 10, 'Function calls are not supported'],
    ['Hello ${name}, ${n ==}', 22, 'Unexpected end of expression'],
    ['a ${ok} b ${x == = 1', 11, 'Unclosed "${"'],
  ])('%s fails at column %d: %s', (text, column, reason) => {
    const error = errorOf(text);
    expect(error).toBeInstanceOf(ExpressionError);
    expect(error.name).toBe('ExpressionError');
    expect(error.expression).toBe(text);
    expect(error.column).toBe(column);
    expect(error.reason).toContain(reason);
    expect(error.message).toBe(`${error.reason} at column ${column} of "${text}"`);
    expect(validateExpression(text)).toBe(error.message);
  });

  it.each<[string, string | null]>([
    ["${variant == 'duplicate'}", null],
    ['${documentsComplete == false}', null],
    ['${!qualificationMet}', null],
    ["${(applicant.age >= 18 && region != null) || variant == 'new'}", null],
    ['  ${a}\n', null],
    ['plain text', '"plain text" is not a ${...} expression'],
    ['', 'Expression is empty'],
    ['  ', 'Expression is empty'],
    ['${a} ${b}', '"${a} ${b}" must be exactly one ${...} expression; text around it would make the result a string'],
    ['x ${a}', '"x ${a}" must be exactly one ${...} expression; text around it would make the result a string'],
  ])('validateExpression(%j) is %j', (text, expected) => {
    expect(validateExpression(text)).toBe(expected);
  });

  it('validates templates when asked to', () => {
    expect(validateExpression('Hello ${name}, id ${id}', { template: true })).toBeNull();
    expect(validateExpression('Hello ${name ==}', { template: true })).toContain('column 16');
  });
});

describe('parse cache', () => {
  it('parses each distinct body once, whatever text it appears in', () => {
    const spy = jest.spyOn(parser, 'parse');
    try {
      const body = "cacheProbe == 'once'";
      for (let i = 0; i < 5; i++) {
        expect(resolve(`\${${body}}`, { cacheProbe: 'once' })).toBe(true);
        expect(resolve(`probe: \${${body}}`, { cacheProbe: 'once' })).toBe('probe: true');
      }
      expect(spy.mock.calls.filter(([text]) => text === body)).toHaveLength(1);
    } finally {
      spy.mockRestore();
    }
  });

  it('reports a cached invalid body at its column in each text', () => {
    expect(errorOf('${bad ==}').column).toBe(9);
    expect(errorOf('..... ${bad ==}').column).toBe(15);
  });
});

// ---------------------------------------------------------------------------------------------

const XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';

function gatewayProcess(conditionA: string, conditionB: string): string {
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" ${XSI} id="defs" targetNamespace="http://bpmn.io/schema/bpmn">
  <process id="routing" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="to-gateway" sourceRef="start" targetRef="variant-gateway" />
    <exclusiveGateway id="variant-gateway" default="to-other" />
    <sequenceFlow id="to-duplicate" sourceRef="variant-gateway" targetRef="end-duplicate">
      <conditionExpression xsi:type="tFormalExpression">${escape(conditionA)}</conditionExpression>
    </sequenceFlow>
    <sequenceFlow id="to-many" sourceRef="variant-gateway" targetRef="end-many">
      <conditionExpression xsi:type="tFormalExpression">
        ${escape(conditionB)}
      </conditionExpression>
    </sequenceFlow>
    <sequenceFlow id="to-other" sourceRef="variant-gateway" targetRef="end-other" />
    <endEvent id="end-duplicate" />
    <endEvent id="end-many" />
    <endEvent id="end-other" />
  </process>
</definitions>`;
}

interface RunResult {
  ended: string[];
  error?: Error;
}

async function run(source: string, variables: Vars, services: Record<string, CallableFunction> = {}): Promise<RunResult> {
  const engine = new Engine({ name: 'expressions-test', source, expressions: createExpressions() });
  const listener = new EventEmitter();
  const ended: string[] = [];
  listener.on('activity.end', (api: { id: string; type: string }) => {
    if (api.type === 'bpmn:EndEvent') ended.push(api.id);
  });
  const finished = new Promise<Error | undefined>((resolveRun) => {
    engine.once('end', () => resolveRun(undefined));
    engine.once('error', (err: Error) => resolveRun(err));
  });
  await engine.execute({ listener, variables, services });
  const error = await finished;
  // (engine.stop() on an engine that has already ended never settles, so it is not called.)
  return { ended, error };
}

describe('with bpmn-engine', () => {
  const source = gatewayProcess("${variant == 'duplicate'}", "${variant != 'duplicate' && n > 2}");

  it.each<[Vars, string]>([
    [{ variant: 'duplicate', n: 0 }, 'end-duplicate'],
    [{ variant: 'duplicate', n: 9 }, 'end-duplicate'],
    [{ variant: 'issue', n: 3 }, 'end-many'],
    [{ n: 5 }, 'end-many'],
    [{ variant: 'issue', n: 2 }, 'end-other'],
    [{ variant: 'issue' }, 'end-other'],
    [{}, 'end-other'],
  ])('routes %j to %s', async (variables, expected) => {
    const result = await run(source, variables);
    expect(result.error).toBeUndefined();
    expect(result.ended).toEqual([expected]);
  });

  it('fails the run with the ExpressionError of a malformed condition', async () => {
    const result = await run(gatewayProcess("${variant = 'duplicate'}", '${false}'), { variant: 'duplicate' });
    expect(result.ended).toEqual([]);
    expect(result.error?.message).toContain(`Unexpected character "=" (use == to compare) at column 11 of "\${variant = 'duplicate'}"`);
  });

  it('fails a run whose condition calls a service of the environment; the service never runs', async () => {
    const withCalls = gatewayProcess('${environment.services.isDuplicate(environment.variables.variant)}', '${environment.services.isMany()}');
    const calls: unknown[] = [];
    const services = {
      isDuplicate: (variant: unknown) => calls.push(variant),
      isMany: () => calls.push('isMany'),
    };
    const result = await run(withCalls, { variant: 'duplicate' }, services);
    expect(result.ended).toEqual([]);
    expect(result.error?.message).toContain('"environment" is not readable');
    expect(calls).toEqual([]);
  });

  it('fails a run whose service implementation is ${environment.services.x} or a factory call; neither runs', async () => {
    const serviceSource = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" ${XSI} id="defs" targetNamespace="http://bpmn.io/schema/bpmn">
  <process id="services" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="lookup" />
    <serviceTask id="lookup" implementation="\${environment.services.lookup}" />
    <sequenceFlow id="f2" sourceRef="lookup" targetRef="made" />
    <serviceTask id="made" implementation="\${environment.services.make()}" />
    <sequenceFlow id="f3" sourceRef="made" targetRef="checked" />
    <exclusiveGateway id="checked" default="to-no" />
    <sequenceFlow id="to-yes" sourceRef="checked" targetRef="yes">
      <conditionExpression xsi:type="tFormalExpression">\${found == 'yes' &amp;&amp; made == true}</conditionExpression>
    </sequenceFlow>
    <sequenceFlow id="to-no" sourceRef="checked" targetRef="no" />
    <endEvent id="yes" />
    <endEvent id="no" />
  </process>
</definitions>`;
    const calls: string[] = [];
    const services = {
      lookup(this: { id: string }, scope: { environment: { variables: Vars }; content: { id: string } }, callback: (err: Error | null, out?: unknown) => void) {
        calls.push(`lookup:${scope.content.id}:${this.id}`);
        scope.environment.variables.found = 'yes';
        callback(null, { found: 'yes' });
      },
      make(ctx: { content: { id: string } }) {
        calls.push(`make:${ctx.content.id}`);
        return (scope: { environment: { variables: Vars } }, callback: (err: Error | null) => void) => {
          calls.push('made');
          scope.environment.variables.made = true;
          callback(null);
        };
      },
    };
    const result = await run(serviceSource, {}, services);
    expect(result.error?.message).toContain('"environment" is not readable');
    expect(calls).toEqual([]);
    expect(result.ended).toEqual([]);
  });
});
