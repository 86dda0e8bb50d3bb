/**
 * Strict JSON that remembers where each value is (jsonc-parser's tree keeps offsets). The calendar
 * file is edited by hand: an error naming the line at fault saves an administrator a search, and
 * JSON.parse neither names the line of every syntax error nor keeps positions of the values it
 * returns. Duplicate keys are refused too, which JSON.parse would silently resolve to the last one
 * (losing, say, a whole year).
 */
import { findNodeAtLocation, getNodeValue, Node, ParseError, parseTree, printParseErrorCode, visit } from 'jsonc-parser';

/** A key of an object or an index of a list, from the root down. */
export type JsonPath = (string | number)[];

export class JsonSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = 'JsonSyntaxError';
  }
}

export interface LocatedJson {
  value: unknown;
  /**
   * 1-based line of the value at `path` (with `key`, of its key); of the nearest enclosing value when
   * there is none at `path` (a missing key is reported where its object starts).
   */
  lineOf(path: JsonPath, options?: { key?: boolean }): number;
}

const STRICT = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false };

/** Parses `source` (a leading byte-order mark is ignored); throws JsonSyntaxError at the first problem. */
export function parseLocatedJson(source: string): LocatedJson {
  const text = source.startsWith('\uFEFF') ? source.slice(1) : source;
  const lines = lineStarts(text);
  const lineAt = (offset: number): number => lineOfOffset(lines, offset);
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, STRICT);
  if (errors.length > 0 || !root) {
    const first = firstSyntaxProblem(text);
    throw new JsonSyntaxError(first.reason, lineAt(first.offset));
  }
  const duplicate = firstDuplicateKey(root);
  if (duplicate) throw new JsonSyntaxError(`duplicate key "${duplicate.key}" (first at line ${lineAt(duplicate.first)})`, lineAt(duplicate.offset));
  return {
    value: getNodeValue(root),
    lineOf(path, options = {}) {
      for (let depth = path.length; depth >= 0; depth--) {
        const node = findNodeAtLocation(root, path.slice(0, depth));
        if (!node) continue;
        // A property node starts at its key.
        const at = options.key && depth === path.length && node.parent?.type === 'property' ? node.parent : node;
        return lineAt(at.offset);
      }
      return lineAt(root.offset);
    },
  };
}

/** The first problem in document order, described the way an editor would point at it. */
function firstSyntaxProblem(text: string): { reason: string; offset: number } {
  const containers: ('object' | 'array')[] = [];
  let first: { reason: string; offset: number } | undefined;
  visit(
    text,
    {
      onObjectBegin: () => void containers.push('object'),
      onObjectEnd: () => void containers.pop(),
      onArrayBegin: () => void containers.push('array'),
      onArrayEnd: () => void containers.pop(),
      onError(error, offset) {
        first ??= { reason: describeError(printParseErrorCode(error), text, offset, containers[containers.length - 1]), offset };
      },
    },
    STRICT,
  );
  return first ?? { reason: 'expected a value but found end of file', offset: text.length };
}

function describeError(code: string, text: string, offset: number, container: 'object' | 'array' | undefined): string {
  const found = offset >= text.length ? 'end of file' : `character ${JSON.stringify(text[offset])}`;
  const close = container === 'array' ? ']' : '}';
  const afterComma = /,\s*$/.test(text.slice(0, offset));
  if (container === undefined && text.slice(0, offset).trim() !== '' && code !== 'UnexpectedEndOfString') return `unexpected ${found} after the end of the document`;
  switch (code) {
    case 'ValueExpected':
    case 'PropertyNameExpected':
      if (afterComma && (text[offset] === ']' || text[offset] === '}')) return `trailing comma before "${text[offset]}"`;
      return code === 'ValueExpected' ? `expected a value but found ${found}` : `expected a double-quoted key but found ${found}`;
    case 'CommaExpected':
      return `expected "," or "${close}" but found ${found}`;
    case 'ColonExpected':
      return `expected ":" but found ${found}`;
    case 'CloseBraceExpected':
      return `expected "," or "}" but found ${found}`;
    case 'CloseBracketExpected':
      return `expected "," or "]" but found ${found}`;
    case 'EndOfFileExpected':
      return `unexpected ${found} after the end of the document`;
    case 'UnexpectedEndOfString':
      return 'unterminated string (strings cannot span lines)';
    case 'InvalidCharacter':
      return 'control character in a string';
    case 'InvalidEscapeCharacter':
    case 'InvalidUnicode':
      return 'invalid escape in a string';
    case 'InvalidNumberFormat':
    case 'UnexpectedEndOfNumber':
      return 'invalid number';
    case 'InvalidCommentToken':
    case 'UnexpectedEndOfComment':
      return 'comments are not allowed in JSON';
    default:
      return `expected a value but found ${found}`;
  }
}

/** The first key in document order that its object already has, with the offset of the earlier one. */
function firstDuplicateKey(node: Node): { key: string; offset: number; first: number } | undefined {
  if (node.type === 'object') {
    const seen = new Map<string, number>();
    for (const property of node.children ?? []) {
      const keyNode = property.children?.[0];
      if (!keyNode) continue;
      const key = String(keyNode.value);
      const first = seen.get(key);
      if (first !== undefined) return { key, offset: keyNode.offset, first };
      seen.set(key, keyNode.offset);
      const value = property.children?.[1];
      const inner = value && firstDuplicateKey(value);
      if (inner) return inner;
    }
    return undefined;
  }
  for (const child of node.children ?? []) {
    const inner = firstDuplicateKey(child);
    if (inner) return inner;
  }
  return undefined;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineOfOffset(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return low + 1;
}
