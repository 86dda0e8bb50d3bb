/**
 * What an attached file may be: a scan or a document in one of a few formats, told by its first bytes
 * (never by its name or by what the client says), with a name that is safe to show and to offer for
 * download. Pure: the API streams the bytes, the runtime checks and stores them.
 */
import { DomainError } from '../errors';

/** The formats the office scans to and the portal accepts, by the signature their files start with. */
const SIGNATURES: readonly { mediaType: string; starts: readonly (readonly number[])[] }[] = [
  { mediaType: 'application/pdf', starts: [[0x25, 0x50, 0x44, 0x46, 0x2d]] }, // %PDF-
  { mediaType: 'image/jpeg', starts: [[0xff, 0xd8, 0xff]] },
  { mediaType: 'image/png', starts: [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]] },
  { mediaType: 'image/tiff', starts: [[0x49, 0x49, 0x2a, 0x00], [0x4d, 0x4d, 0x00, 0x2a]] }, // little- and big-endian
];

export const ALLOWED_MEDIA_TYPES: readonly string[] = SIGNATURES.map((s) => s.mediaType);

/** Other spellings clients send for the same formats. */
const ALIASES: Readonly<Record<string, string>> = { 'image/jpg': 'image/jpeg', 'image/pjpeg': 'image/jpeg', 'application/x-pdf': 'application/pdf', 'image/tif': 'image/tiff' };

/** The media type the bytes are, among the allowed ones; null for anything else. */
export function sniffMediaType(head: Uint8Array): string | null {
  for (const { mediaType, starts } of SIGNATURES) {
    if (starts.some((start) => start.length <= head.length && start.every((byte, i) => head[i] === byte))) return mediaType;
  }
  return null;
}

/** The declared Content-Type without parameters, lower case, aliases folded. */
export function declaredMediaType(contentType: string | undefined): string {
  const bare = (contentType ?? '').split(';')[0].trim().toLowerCase();
  return ALIASES[bare] ?? bare;
}

const MAX_NAME = 200;

/**
 * A file name as it may be shown and offered: the last path segment only, no control or bidi-override
 * characters (a name that reads "cod.exe" backwards), none of the characters file systems refuse, no
 * leading dots, at most 200 characters (the extension kept). Empty becomes "document".
 */
export function sanitiseFileName(raw: string): string {
  const base = raw.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  let name = base.normalize('NFC').replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '').replace(/[<>:"|?*]/g, '_').replace(/\s+/g, ' ').trim().replace(/^\.+/, '').trim();
  if ([...name].length > MAX_NAME) {
    const dot = name.lastIndexOf('.');
    const extension = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
    name = [...name.slice(0, name.length - extension.length)].slice(0, MAX_NAME - extension.length).join('') + extension;
  }
  return name || 'document';
}

export interface FileRefusal {
  code: 'ATTACHMENT_EMPTY' | 'ATTACHMENT_TYPE_NOT_ALLOWED' | 'ATTACHMENT_TYPE_MISMATCH';
  message: string;
}

/** Why the bytes may not be attached (empty, not an allowed format, not what the client said), or null. */
export function fileRefusal(name: string, declared: string, content: Uint8Array): DomainError | null {
  const refuse = (code: FileRefusal['code'], message: string, details: Record<string, unknown> = {}) =>
    new DomainError('invalid', code, message, { field: 'file', name, allowed: ALLOWED_MEDIA_TYPES, ...details });
  if (content.length === 0) return refuse('ATTACHMENT_EMPTY', `The file "${name}" is empty`);
  const sniffed = sniffMediaType(content.subarray(0, 16));
  if (!sniffed) return refuse('ATTACHMENT_TYPE_NOT_ALLOWED', `The file "${name}" is not a PDF, JPEG, PNG or TIFF document (by its content)`, { declared });
  const said = declaredMediaType(declared);
  if (said !== sniffed) return refuse('ATTACHMENT_TYPE_MISMATCH', `The file "${name}" is sent as ${said || 'no type'} but its content is ${sniffed}`, { declared: said, detected: sniffed });
  return null;
}
