/*
 * The grammar of the body of one `${...}` (the part between the braces): a tokenizer, a
 * recursive-descent parser producing a small AST, and an evaluator for that AST. Nothing here uses
 * eval, new Function or vm. src/runtime/expressions.ts puts it behind bpmn-elements' expressions
 * interface (templates, caching, the bpmn-elements fallback); see there for the overall rules.
 *
 * Grammar, lowest precedence first (JUEL order):
 *
 *   or         := and (('||' | 'or') and)*
 *   and        := equality (('&&' | 'and') equality)*
 *   equality   := relational (('==' | '!=' | 'eq' | 'ne') relational)*
 *   relational := unary (('<' | '<=' | '>' | '>=' | 'lt' | 'le' | 'gt' | 'ge') unary)*
 *   unary      := ('!' | 'not' | 'empty') unary | '-' NUMBER | postfix
 *   postfix    := primary ('.' NAME | '[' or ']' | '(' [or (',' or)*] ')')*
 *   primary    := NUMBER | STRING | 'true' | 'false' | 'null' | NAME | '(' or ')'
 *
 * A NAME is a process variable. Names that would mean something else to bpmn-elements or to
 * JavaScript (`environment`, `content`, `services`, `process`, `this`, ...) are refused, as are
 * `constructor`, `prototype` and `__proto__` anywhere. Calls are parsed so that expressions.ts can
 * refuse them with their column; evaluate() never runs them.
 */

/** A problem in the text of an expression; `column` is 1-based within the whole text. */
export class ExpressionError extends Error {
  constructor(
    readonly expression: string,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`${reason} at column ${column} of "${expression}"`);
    this.name = 'ExpressionError';
  }
}

/** A syntax problem at `index` (0-based) of the parsed body; expressions.ts turns it into an ExpressionError. */
export class SyntaxProblem extends Error {
  constructor(
    readonly index: number,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'SyntaxProblem';
  }
}

/**
 * Names an expression may not read. The first four are bpmn-elements' expression context (the
 * engine's environment with its services and settings, the message being processed): an expression
 * reads process variables, nothing of the engine. The others are what a reader might take for
 * Node's globals; they are not variables either (the host reserves the context names,
 * src/runtime/variables.ts).
 */
export const UNREADABLE_NAMES: ReadonlySet<string> = new Set([
  'environment',
  'content',
  'properties',
  'fields',
  'services',
  'process',
  'global',
  'globalThis',
  'require',
  'module',
  'this',
]);

/** Never readable, so an expression cannot climb to Function through a prototype. */
const FORBIDDEN_NAMES: ReadonlySet<string> = new Set(['__proto__', 'prototype', 'constructor']);

const RESERVED_WORDS: ReadonlySet<string> = new Set(['and', 'or', 'not', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'empty', 'true', 'false', 'null', 'div', 'mod', 'instanceof']);

export type ComparisonOperator = '==' | '!=' | '<' | '<=' | '>' | '>=';

export type Node =
  | { t: 'literal'; value: string | number | boolean | null }
  | { t: 'variable'; name: string; index: number }
  | { t: 'member'; object: Node; key: string; index: number }
  | { t: 'index'; object: Node; key: Node; index: number }
  | { t: 'call'; callee: Node; args: Node[]; index: number }
  | { t: 'not'; operand: Node }
  | { t: 'empty'; operand: Node }
  | { t: 'and' | 'or'; left: Node; right: Node }
  | { t: 'compare'; op: ComparisonOperator; left: Node; right: Node };

type TokenKind = 'number' | 'string' | 'word' | 'punct' | 'end';
interface Token {
  kind: TokenKind;
  /** The decoded string for strings, the source text otherwise. */
  value: string;
  index: number;
}

const WHITESPACE = /\s/;
const NUMBER = /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WORD = /[\p{L}\p{Nl}_$][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}_$]*/uy;
const TWO_CHAR_PUNCT = new Set(['==', '!=', '<=', '>=', '&&', '||']);
const ONE_CHAR_PUNCT = new Set(['<', '>', '!', '(', ')', '[', ']', '.', ',', '-']);
const ESCAPES: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', n: '\n', t: '\t', r: '\r' };

export function tokenize(body: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < body.length) {
    const c = body[i];
    if (WHITESPACE.test(c)) {
      i++;
      continue;
    }
    if (c >= '0' && c <= '9') {
      NUMBER.lastIndex = i;
      const text = NUMBER.exec(body)![0];
      tokens.push({ kind: 'number', value: text, index: i });
      i += text.length;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      let value = '';
      while (j < body.length && body[j] !== c) {
        if (body[j] === '\\' && j + 1 < body.length) {
          const next = body[j + 1];
          // JUEL knows only \\ \' \"; \n \t \r are a convenience; any other backslash is kept as written.
          value += ESCAPES[next] ?? `\\${next}`;
          j += 2;
        } else {
          value += body[j++];
        }
      }
      if (j >= body.length) throw new SyntaxProblem(i, 'Unterminated string');
      tokens.push({ kind: 'string', value, index: i });
      i = j + 1;
      continue;
    }
    WORD.lastIndex = i;
    const word = WORD.exec(body);
    if (word) {
      tokens.push({ kind: 'word', value: word[0], index: i });
      i += word[0].length;
      continue;
    }
    const two = body.slice(i, i + 2);
    if (TWO_CHAR_PUNCT.has(two)) {
      tokens.push({ kind: 'punct', value: two, index: i });
      i += 2;
      continue;
    }
    if (ONE_CHAR_PUNCT.has(c)) {
      tokens.push({ kind: 'punct', value: c, index: i });
      i++;
      continue;
    }
    const hint = c === '=' ? ' (use == to compare)' : c === '&' ? ' (use && or and)' : c === '|' ? ' (use || or or)' : '';
    throw new SyntaxProblem(i, `Unexpected character "${c}"${hint}`);
  }
  tokens.push({ kind: 'end', value: '', index: body.length });
  return tokens;
}

const EQUALITY: Record<string, ComparisonOperator> = { '==': '==', '!=': '!=', eq: '==', ne: '!=' };
const RELATIONAL: Record<string, ComparisonOperator> = { '<': '<', '<=': '<=', '>': '>', '>=': '>=', lt: '<', le: '<=', gt: '>', ge: '>=' };

class Parser {
  private position = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): Node {
    if (this.peek().kind === 'end') throw new SyntaxProblem(this.peek().index, 'Empty expression');
    const node = this.or();
    const rest = this.peek();
    if (rest.kind !== 'end') throw this.unexpected(rest);
    return node;
  }

  private peek(): Token {
    return this.tokens[this.position];
  }

  private next(): Token {
    return this.tokens[this.position++];
  }

  /** Consumes the next token if it is one of the given punctuators or operator words. */
  private accept(...values: string[]): Token | undefined {
    const token = this.peek();
    if ((token.kind === 'punct' || token.kind === 'word') && values.includes(token.value)) {
      this.position++;
      return token;
    }
    return undefined;
  }

  private expect(value: string): void {
    if (!this.accept(value)) {
      const token = this.peek();
      const found = token.kind === 'end' ? 'the end of the expression' : `"${token.value}"`;
      throw new SyntaxProblem(token.index, `Expected "${value}" but found ${found}`);
    }
  }

  private unexpected(token: Token): SyntaxProblem {
    if (token.kind === 'end') return new SyntaxProblem(token.index, 'Unexpected end of expression');
    const shown = token.kind === 'string' ? 'string' : `"${token.value}"`;
    return new SyntaxProblem(token.index, `Unexpected ${shown}`);
  }

  private or(): Node {
    let left = this.and();
    while (this.accept('||', 'or')) left = { t: 'or', left, right: this.and() };
    return left;
  }

  private and(): Node {
    let left = this.equality();
    while (this.accept('&&', 'and')) left = { t: 'and', left, right: this.equality() };
    return left;
  }

  private equality(): Node {
    let left = this.relational();
    for (let token = this.accept(...Object.keys(EQUALITY)); token; token = this.accept(...Object.keys(EQUALITY))) {
      left = { t: 'compare', op: EQUALITY[token.value], left, right: this.relational() };
    }
    return left;
  }

  private relational(): Node {
    let left = this.unary();
    for (let token = this.accept(...Object.keys(RELATIONAL)); token; token = this.accept(...Object.keys(RELATIONAL))) {
      left = { t: 'compare', op: RELATIONAL[token.value], left, right: this.unary() };
    }
    return left;
  }

  private unary(): Node {
    if (this.accept('!', 'not')) return { t: 'not', operand: this.unary() };
    if (this.accept('empty')) return { t: 'empty', operand: this.unary() };
    const minus = this.accept('-');
    if (minus) {
      const token = this.peek();
      if (token.kind !== 'number') throw new SyntaxProblem(token.index, 'Expected a number after "-" (there is no arithmetic)');
      this.position++;
      return { t: 'literal', value: -Number(token.value) };
    }
    return this.postfix();
  }

  private postfix(): Node {
    let node = this.primary();
    for (;;) {
      const token = this.peek();
      if (this.accept('.')) {
        const name = this.peek();
        if (name.kind !== 'word') throw new SyntaxProblem(name.index, 'Expected a property name after "."');
        this.position++;
        checkName(name);
        node = { t: 'member', object: node, key: name.value, index: name.index };
      } else if (this.accept('[')) {
        const key = this.or();
        this.expect(']');
        node = { t: 'index', object: node, key, index: token.index };
      } else if (this.accept('(')) {
        const args: Node[] = [];
        if (!this.accept(')')) {
          do args.push(this.or());
          while (this.accept(','));
          this.expect(')');
        }
        node = { t: 'call', callee: node, args, index: token.index };
      } else {
        return node;
      }
    }
  }

  private primary(): Node {
    const token = this.next();
    switch (token.kind) {
      case 'number':
        return { t: 'literal', value: Number(token.value) };
      case 'string':
        return { t: 'literal', value: token.value };
      case 'word':
        if (token.value === 'true') return { t: 'literal', value: true };
        if (token.value === 'false') return { t: 'literal', value: false };
        if (token.value === 'null') return { t: 'literal', value: null };
        if (RESERVED_WORDS.has(token.value)) throw this.unexpected(token);
        checkName(token);
        if (UNREADABLE_NAMES.has(token.value)) {
          throw new SyntaxProblem(token.index, `"${token.value}" is not readable: an expression reads process variables by their plain names`);
        }
        return { t: 'variable', name: token.value, index: token.index };
      case 'punct':
        if (token.value === '(') {
          const inner = this.or();
          this.expect(')');
          return inner;
        }
        throw this.unexpected(token);
      default:
        throw this.unexpected(token);
    }
  }
}

function checkName(token: Token): void {
  if (FORBIDDEN_NAMES.has(token.value)) throw new SyntaxProblem(token.index, `Access to "${token.value}" is not allowed`);
}

/** Parses the body of one `${...}`; throws SyntaxProblem. */
export function parse(body: string): Node {
  return new Parser(tokenize(body)).parse();
}

/** The first call in the tree, if any. */
export function findCall(node: Node): Extract<Node, { t: 'call' }> | undefined {
  switch (node.t) {
    case 'call':
      return findCall(node.callee) ?? node.args.map(findCall).find(Boolean) ?? node;
    case 'member':
      return findCall(node.object);
    case 'index':
      return findCall(node.object) ?? findCall(node.key);
    case 'not':
    case 'empty':
      return findCall(node.operand);
    case 'and':
    case 'or':
    case 'compare':
      return findCall(node.left) ?? findCall(node.right);
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Evaluation

const hasOwn = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);

function readProperty(object: unknown, key: unknown): unknown {
  if (object === null || object === undefined) return undefined;
  if (typeof key === 'number') {
    // Like bpmn-elements: list[-1] is the last item.
    if (Array.isArray(object) && Number.isInteger(key) && key < 0) return object[object.length + key];
  } else if (typeof key !== 'string') {
    return undefined;
  }
  if (FORBIDDEN_NAMES.has(String(key))) return undefined;
  // Own properties only: a value's methods (toString, valueOf) are not data.
  if (!Object.prototype.hasOwnProperty.call(object, key)) return undefined;
  return (object as Record<string | number, unknown>)[key];
}

/**
 * JUEL's coercion to boolean for `!`, `&&`, `||`: booleans as they are, null/undefined false, a
 * string true only if it is "true" (any case), a number true unless 0 or NaN, anything else true.
 */
export function toBoolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (value === null || value === undefined) return false;
  if (typeof value === 'string') return value.trim().toLowerCase() === 'true';
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  return true;
}

/** `empty x`: null, undefined, '', an empty array, Map or Set, or an object without own keys. */
export function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (value instanceof Map || value instanceof Set) return value.size === 0;
  if (typeof value === 'object' && !(value instanceof Date)) return Object.keys(value).length === 0;
  return false;
}

const NUMERIC_STRING = /^\s*-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

function numberFrom(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && NUMERIC_STRING.test(value)) return Number(value);
  return undefined;
}

/**
 * `==`: null and undefined equal each other and nothing else; same types compare with === (dates by
 * time); a number and a numeric string compare as numbers; a boolean and "true"/"false" (any case)
 * compare as booleans; anything else is unequal.
 */
export function looselyEquals(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return (a === null || a === undefined) && (b === null || b === undefined);
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (typeof a === typeof b) return a === b;
  if (typeof a === 'number' || typeof b === 'number') {
    const x = numberFrom(a);
    const y = numberFrom(b);
    return x !== undefined && y !== undefined && x === y;
  }
  if (typeof a === 'boolean' && typeof b === 'string') return String(a) === b.trim().toLowerCase();
  if (typeof b === 'boolean' && typeof a === 'string') return String(b) === a.trim().toLowerCase();
  return false;
}

/**
 * Ordering for `< <= > >=`: numbers (or a number and a numeric string) numerically, two strings by
 * UTF-16 code units (so ISO dates order correctly), two dates by time. Anything else, including a
 * null or missing operand, is not comparable and every relational operator yields false.
 */
export function order(a: unknown, b: unknown): number | undefined {
  if (a === null || a === undefined || b === null || b === undefined) return undefined;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (typeof a === 'number' || typeof b === 'number') {
    const x = numberFrom(a);
    const y = numberFrom(b);
    if (x === undefined || y === undefined || Number.isNaN(x) || Number.isNaN(y)) return undefined;
    return x - y;
  }
  return undefined;
}

function compare(op: ComparisonOperator, a: unknown, b: unknown): boolean {
  if (op === '==') return looselyEquals(a, b);
  if (op === '!=') return !looselyEquals(a, b);
  const sign = order(a, b);
  if (sign === undefined) return false;
  switch (op) {
    case '<':
      return sign < 0;
    case '<=':
      return sign <= 0;
    case '>':
      return sign > 0;
    case '>=':
      return sign >= 0;
  }
}

/**
 * Evaluates a tree without calls against bpmn-elements' expression context (`{ environment, fields,
 * content, properties, ... }`), of which it reads only the process variables: a name is the own
 * property of `context.environment.variables` of that name, undefined if there is none.
 */
export function evaluate(node: Node, context: unknown): unknown {
  switch (node.t) {
    case 'literal':
      return node.value;
    case 'variable': {
      const variables = (context as { environment?: { variables?: unknown } } | null | undefined)?.environment?.variables;
      if (variables === null || typeof variables !== 'object') return undefined;
      return hasOwn(variables, node.name) ? (variables as Record<string, unknown>)[node.name] : undefined;
    }
    case 'member':
      return readProperty(evaluate(node.object, context), node.key);
    case 'index':
      return readProperty(evaluate(node.object, context), evaluate(node.key, context));
    case 'not':
      return !toBoolean(evaluate(node.operand, context));
    case 'empty':
      return isEmpty(evaluate(node.operand, context));
    case 'and':
      return toBoolean(evaluate(node.left, context)) && toBoolean(evaluate(node.right, context));
    case 'or':
      return toBoolean(evaluate(node.left, context)) || toBoolean(evaluate(node.right, context));
    case 'compare':
      return compare(node.op, evaluate(node.left, context), evaluate(node.right, context));
    case 'call':
      throw new Error('Calls are resolved by bpmn-elements, not evaluated here');
  }
}
