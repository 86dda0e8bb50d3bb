/**
 * Bounds on the shape of a parsed JSON body, checked right after parsing, before anything walks it:
 * a body nested thousands deep would overflow the stack of the first recursive walk (validation,
 * JSON.stringify of the history), and a hundred thousand variables cost every later step. Both
 * answer 400 with the limit in the message; nothing is stored.
 */
export const MAX_JSON_DEPTH = 64;
export const MAX_VARIABLES = 1000;

export interface BodyProblem {
  code: 'JSON_TOO_DEEP' | 'TOO_MANY_VARIABLES';
  message: string;
  details: { limit: number; found?: number };
}

/** The first bound the body breaks, or null. Iterative: the check itself never recurses. */
export function bodyProblem(body: unknown): BodyProblem | null {
  if (body === null || typeof body !== 'object') return null;
  const stack: [object, number][] = [[body, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (depth > MAX_JSON_DEPTH) {
      return { code: 'JSON_TOO_DEEP', message: `The JSON body is nested more than ${MAX_JSON_DEPTH} levels deep`, details: { limit: MAX_JSON_DEPTH } };
    }
    for (const child of Object.values(value)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  const variables = (body as { variables?: unknown }).variables;
  if (variables !== null && typeof variables === 'object') {
    const found = Object.keys(variables).length;
    if (found > MAX_VARIABLES) {
      return { code: 'TOO_MANY_VARIABLES', message: `A request may carry at most ${MAX_VARIABLES} variables; this one has ${found}`, details: { limit: MAX_VARIABLES, found } };
    }
  }
  return null;
}
