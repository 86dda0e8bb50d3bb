/**
 * Camunda-typed variables `{ name: { value, type, valueInfo? } }` to the plain values the host
 * stores. Known types: String, Boolean, Integer, Short, Long, Double, Date, Json, Null; a missing
 * type keeps the value as sent (Camunda infers it).
 */
export function camundaVariablesToPlain(variables: unknown): Record<string, unknown> {
  if (variables === undefined || variables === null) return {};
  if (typeof variables !== 'object' || Array.isArray(variables)) throw new Error('variables must be an object { name: { value, type } }');
  const plain: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(variables as Record<string, unknown>)) {
    if (!entry || typeof entry !== 'object' || Array.isArray(entry) || !('value' in entry)) {
      throw new Error(`Variable '${name}' must be { "value": ..., "type": ... }`);
    }
    const { value, type } = entry as { value: unknown; type?: unknown };
    plain[name] = convert(name, value, typeof type === 'string' ? type : undefined);
  }
  return plain;
}

function convert(name: string, value: unknown, type: string | undefined): unknown {
  if (value === null || type === undefined) return value;
  const fail = (what: string) => new Error(`Cannot convert value '${String(value)}' of variable '${name}' to type ${type}: ${what}`);
  switch (type.toLowerCase()) {
    case 'null':
      return null;
    case 'string':
      if (typeof value !== 'string') throw fail('not a string');
      return value;
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      throw fail('expected true or false');
    case 'integer':
    case 'short':
    case 'long': {
      const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isInteger(n)) throw fail('expected a whole number');
      return n;
    }
    case 'double': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isFinite(n)) throw fail('expected a number');
      return n;
    }
    case 'date': {
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')))) throw fail('expected a date yyyy-MM-ddTHH:mm:ss.SSSZ');
      return new Date(Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))).toISOString();
    }
    case 'json':
      if (typeof value !== 'string') return value;
      try {
        return JSON.parse(value);
      } catch {
        throw fail('not valid JSON');
      }
    default:
      throw new Error(`Variable '${name}' has type ${type}, which this server does not support (use String, Boolean, Integer, Long, Double, Date, Json or Null)`);
  }
}
