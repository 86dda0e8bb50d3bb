import { createHash } from 'node:crypto';

/**
 * A UUID (RFC 9562 version 8, name-based) derived from its parts. Instances whose creation a crash
 * may repeat get one: a client's repeated start (same Idempotency-Key) and a re-run step's call
 * activity then create the instance with the same id, so the external systems, which key their
 * side effects by instance id, see a repeat instead of a new request.
 */
export function deterministicId(...parts: (string | number)[]): string {
  const hex = createHash('sha256').update(parts.map((p) => `${String(p).length}:${p}`).join('|')).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
