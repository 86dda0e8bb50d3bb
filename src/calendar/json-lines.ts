/**
 * A strict JSON reader that remembers the line of every value and key. The calendar file is edited by
 * hand; an error that names the line at fault saves an administrator a search, and JSON.parse neither
 * reports lines for every syntax error nor keeps positions of the values it returns. It also refuses
 * duplicate keys, which JSON.parse would silently resolve to the last one (losing, say, a whole year).
 */

export type JsonNode =
  | { kind: 'object'; line?: number; entries: JsonEntry[] }
  | { kind: 'array'; line?: number; items: JsonNode[] }
  | { kind: 'string'; line?: number; value: string }
  | { kind: 'number'; line?: number; value: number }
  | { kind: 'boolean'; line?: number; value: boolean }
  | { kind: 'null'; line?: number };

export interface JsonEntry {
  key: string;
  line?: number;
  value: JsonNode;
}

export class JsonSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = 'JsonSyntaxError';
  }
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

export function parseJsonWithLines(source: string): JsonNode {
  const text = source.startsWith('\uFEFF') ? source.slice(1) : source;
  let pos = 0;
  let line = 1;

  const fail = (reason: string): never => {
    throw new JsonSyntaxError(reason, line);
  };
  const describe = (): string => (pos >= text.length ? 'end of file' : `character ${JSON.stringify(text[pos])}`);

  function skipWhitespace(): void {
    while (pos < text.length) {
      const c = text[pos];
      if (c === '\n') line++;
      else if (c !== ' ' && c !== '\t' && c !== '\r') return;
      pos++;
    }
  }

  function expect(c: string): void {
    skipWhitespace();
    if (text[pos] !== c) fail(`expected "${c}" but found ${describe()}`);
    pos++;
  }

  function readString(): string {
    pos++; // opening quote
    let out = '';
    while (pos < text.length) {
      const c = text[pos++];
      if (c === '"') return out;
      if (c === '\n') fail('unterminated string (strings cannot span lines)');
      if (c < ' ') fail('control character in a string');
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = text[pos++];
      if (e === 'u') {
        const hex = text.slice(pos, pos + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail(`invalid escape "\\u${hex}"`);
        out += String.fromCharCode(parseInt(hex, 16));
        pos += 4;
      } else if (e !== undefined && ESCAPES[e] !== undefined) {
        out += ESCAPES[e];
      } else {
        fail(`invalid escape "\\${e ?? ''}"`);
      }
    }
    return fail('unterminated string');
  }

  function readValue(): JsonNode {
    skipWhitespace();
    const at = line;
    const c = text[pos];
    if (c === '{') return readObject(at);
    if (c === '[') return readArray(at);
    if (c === '"') return { kind: 'string', line: at, value: readString() };
    for (const [word, node] of [
      ['true', { kind: 'boolean', line: at, value: true }],
      ['false', { kind: 'boolean', line: at, value: false }],
      ['null', { kind: 'null', line: at }],
    ] as const) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return node;
      }
    }
    NUMBER.lastIndex = pos;
    const number = NUMBER.exec(text);
    if (number) {
      pos += number[0].length;
      return { kind: 'number', line: at, value: Number(number[0]) };
    }
    return fail(`expected a value but found ${describe()}`);
  }

  function readObject(at: number): JsonNode {
    pos++;
    const entries: JsonEntry[] = [];
    const seen = new Map<string, number>();
    skipWhitespace();
    if (text[pos] === '}') {
      pos++;
      return { kind: 'object', line: at, entries };
    }
    for (;;) {
      skipWhitespace();
      if (text[pos] !== '"') fail(`expected a double-quoted key but found ${describe()}`);
      const keyLine = line;
      const key = readString();
      const first = seen.get(key);
      if (first !== undefined) fail(`duplicate key "${key}" (first at line ${first})`);
      seen.set(key, keyLine);
      expect(':');
      entries.push({ key, line: keyLine, value: readValue() });
      skipWhitespace();
      if (text[pos] === ',') {
        pos++;
        skipWhitespace();
        if (text[pos] === '}') fail('trailing comma before "}"');
        continue;
      }
      if (text[pos] === '}') {
        pos++;
        return { kind: 'object', line: at, entries };
      }
      fail(`expected "," or "}" but found ${describe()}`);
    }
  }

  function readArray(at: number): JsonNode {
    pos++;
    const items: JsonNode[] = [];
    skipWhitespace();
    if (text[pos] === ']') {
      pos++;
      return { kind: 'array', line: at, items };
    }
    for (;;) {
      items.push(readValue());
      skipWhitespace();
      if (text[pos] === ',') {
        pos++;
        skipWhitespace();
        if (text[pos] === ']') fail('trailing comma before "]"');
        continue;
      }
      if (text[pos] === ']') {
        pos++;
        return { kind: 'array', line: at, items };
      }
      fail(`expected "," or "]" but found ${describe()}`);
    }
  }

  const root = readValue();
  skipWhitespace();
  if (pos < text.length) fail(`unexpected ${describe()} after the end of the document`);
  return root;
}

/** The same tree for a value built in code (no lines), so one validator serves files and code. */
export function jsonNodeOf(value: unknown): JsonNode {
  if (value === null) return { kind: 'null' };
  if (Array.isArray(value)) return { kind: 'array', items: value.map(jsonNodeOf) };
  switch (typeof value) {
    case 'string':
      return { kind: 'string', value };
    case 'number':
      return { kind: 'number', value };
    case 'boolean':
      return { kind: 'boolean', value };
    case 'object':
      return {
        kind: 'object',
        entries: Object.entries(value as Record<string, unknown>)
          .filter(([, v]) => v !== undefined)
          .map(([key, v]) => ({ key, value: jsonNodeOf(v) })),
      };
    default:
      // Functions, symbols, bigints cannot come from a file; null makes the validator name the path.
      return { kind: 'null' };
  }
}
