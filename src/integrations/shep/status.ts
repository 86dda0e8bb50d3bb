import { ExternalSystemProtocolError } from '../http-client';

/**
 * Status codes of a SyncChannel answer (responseInfo/status/code, or errorInfo/errorCode of a
 * SendMessage fault). `public`: seen in integrators' published ShEP clients and services;
 * `modelled`: our choice where the code of that case is not public (docs/external-systems.md).
 */
export const SHEP_STATUS = {
  SCSS001: { meaning: 'message processed successfully', source: 'public' },
  SCE001: { meaning: 'unknown sender or wrong password', source: 'modelled' },
  SCE002: { meaning: 'unknown service, or the sender may not call it', source: 'modelled' },
  SCE003: { meaning: 'malformed message (envelope, requestInfo or data)', source: 'modelled' },
  SCE004: { meaning: 'the target information system is unavailable', source: 'public' },
  SCE005: { meaning: "the transport signature's certificate is not valid (untrusted, expired or revoked)", source: 'public' },
  SCE006: { meaning: 'the transport signature does not verify (the body was changed or the signature is wrong)', source: 'public' },
  SCE007: { meaning: 'the message carries no transport signature', source: 'public' },
  SCE909: { meaning: 'the target information system refused or failed to process the request', source: 'public' },
} as const;

export type ShepStatusCode = keyof typeof SHEP_STATUS;
export const SHEP_SUCCESS: ShepStatusCode = 'SCSS001';
/** The code whose answer means "try again later" (an unavailability, not a refusal). */
export const SHEP_UNAVAILABLE: ShepStatusCode = 'SCE004';

/**
 * ShEP (or the system behind it) answered with a code other than SCSS001: a refusal of this
 * message, which becomes the step's incident with the code and ShEP's message.
 */
export class ShepStatusError extends Error {
  constructor(
    readonly code: string,
    readonly statusMessage: string,
    readonly serviceId: string,
    readonly messageId: string,
    /** As a SOAP fault (the gateway refused the message) or as responseInfo/status (the target answered). */
    readonly via: 'fault' | 'status',
  ) {
    const known = (SHEP_STATUS as Record<string, { meaning: string }>)[code]?.meaning;
    super(`ShEP ${serviceId} answered ${code}${known ? ` (${known})` : ''}: ${statusMessage} [messageId ${messageId}]`);
    this.name = 'ShepStatusError';
  }
}

/** The answer is no SyncChannel answer: not XML, no envelope, a SOAP fault without errorInfo, data of another type. */
export class ShepProtocolError extends ExternalSystemProtocolError {
  constructor(
    url: string,
    status: number,
    readonly reason: string,
    readonly serviceId: string,
    readonly messageId: string,
  ) {
    super('shep', url, status, reason);
    this.name = 'ShepProtocolError';
    this.message = `ShEP ${serviceId} gave no usable answer (HTTP ${status}): ${reason} [messageId ${messageId}]`;
  }
}
