/*
 * The grammar of the body of one `${...}` (the part between the braces): a tokenizer, a
 * recursive-descent parser producing a small AST, and an evaluator for that AST. Nothing here uses
 * eval, new Function or vm. ./evaluate.ts gives a tree its value; ./index.ts puts both behind
 * bpmn-elements' expressions interface (templates, caching); see there for the overall rules.
 *
 * Grammar, lowest precedence first (JUEL order):
 *
 *   or         := and ('||' and)*
 *   and        := equality ('&&' equality)*
 *   equality   := relational (('==' | '!=') relational)*
 *   relational := unary (('<' | '<=' | '>' | '>=') unary)*
 *   unary      := ('!' | 'empty') unary | '-' NUMBER | postfix
 *   postfix    := primary ('.' NAME | '[' or ']' | '(' [or (',' or)*] ')')*
 *   primary    := NUMBER | STRING | 'true' | 'false' | 'null' | NAME | '(' or ')'
 *
 * A NAME is a process variable. Names that would mean something else to bpmn-elements or to
 * JavaScript (`environment`, `content`, `services`, `process`, `this`, ...) are refused, as are
 * `constructor`, `prototype` and `__proto__` anywhere. Calls are parsed so that index.ts can
 * refuse them with their column; evaluate() never runs them.
 *
 * JUEL's word operators (`and or not eq ne lt le gt ge`) are not part of the language: no diagram
 * uses them, and one spelling per operator keeps conditions comparable. They stay reserved, so a
 * diagram written with them is refused at deployment with the symbol to write instead.
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
 * src/engine/process-variables.ts).
 */
const UNREADABLE_NAMES: ReadonlySet<string> = new Set([
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
export const FORBIDDEN_NAMES: ReadonlySet<string> = new Set(['__proto__', 'prototype', 'constructor']);

/** JUEL's word operators, refused with the symbol that replaces each. */
const WORD_OPERATORS: Readonly<Record<string, string>> = { and: '&&', or: '||', not: '!', eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=' };

const RESERVED_WORDS: ReadonlySet<string> = new Set([...Object.keys(WORD_OPERATORS), 'empty', 'true', 'false', 'null', 'div', 'mod', 'instanceof']);

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

function tokenize(body: string): Token[] {
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
    const hint = c === '=' ? ' (use == to compare)' : c === '&' ? ' (use &&)' : c === '|' ? ' (use ||)' : '';
    throw new SyntaxProblem(i, `Unexpected character "${c}"${hint}`);
  }
  tokens.push({ kind: 'end', value: '', index: body.length });
  return tokens;
}

const EQUALITY: readonly ComparisonOperator[] = ['==', '!='];
const RELATIONAL: readonly ComparisonOperator[] = ['<', '<=', '>', '>='];

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

  /** Consumes the next token if it is one of the given punctuators (or the word `empty`). */
  private accept(...values: readonly string[]): Token | undefined {
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
    const instead = token.kind === 'word' ? WORD_OPERATORS[token.value] : undefined;
    return new SyntaxProblem(token.index, `Unexpected ${shown}${instead ? ` (write ${instead})` : ''}`);
  }

  private or(): Node {
    let left = this.and();
    while (this.accept('||')) left = { t: 'or', left, right: this.and() };
    return left;
  }

  private and(): Node {
    let left = this.equality();
    while (this.accept('&&')) left = { t: 'and', left, right: this.equality() };
    return left;
  }

  private equality(): Node {
    let left = this.relational();
    for (let token = this.accept(...EQUALITY); token; token = this.accept(...EQUALITY)) {
      left = { t: 'compare', op: token.value as ComparisonOperator, left, right: this.relational() };
    }
    return left;
  }

  private relational(): Node {
    let left = this.unary();
    for (let token = this.accept(...RELATIONAL); token; token = this.accept(...RELATIONAL)) {
      left = { t: 'compare', op: token.value as ComparisonOperator, left, right: this.unary() };
    }
    return left;
  }

  private unary(): Node {
    if (this.accept('!')) return { t: 'not', operand: this.unary() };
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
