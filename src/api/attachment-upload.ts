/**
 * Reads the one file of an attachment upload (multipart/form-data, part `file`) with busboy, as a
 * stream with a hard limit: a file larger than the limit is refused as soon as it passes it, and the
 * rest of the request is drained and dropped, never buffered. Nothing is written anywhere here: the
 * bytes go to the database in the transaction that records the attachment, or nowhere.
 */
import busboy from 'busboy';
import { Request } from 'express';
import { DomainError } from './errors';

export interface UploadedFile {
  name: string;
  declaredType: string;
  content: Buffer;
  /** The text parts sent beside the file (Camunda's attachment-name, attachment-type, ...). */
  fields?: Record<string, string>;
}

export interface UploadOptions {
  /** The part that holds the file: `file` on /api, `content` on /engine-rest (Camunda's name). */
  part?: string;
  /** Looks at each text part as it arrives; an error refuses the upload at once. */
  onField?: (name: string, value: string) => Error | undefined;
}

/** The file passed the limit: answered 413 by the route. */
export class UploadTooLarge extends DomainError {
  constructor(readonly limit: number) {
    super('invalid', 'ATTACHMENT_TOO_LARGE', `The file is larger than ${limit} bytes (ATTACHMENT_MAX_BYTES)`, { field: 'file', limit });
  }
}

const bad = (code: string, message: string) => new DomainError('invalid', code, message, { field: 'file' });

/** Room for the multipart headers and boundaries around the file. */
const ENVELOPE_BYTES = 64 * 1024;

export function readUploadedFile(req: Request, maxBytes: number, options: UploadOptions = {}): Promise<UploadedFile> {
  const part = options.part ?? 'file';
  const declaredLength = Number(req.headers['content-length']);
  // A body that says up front that it is too large is refused before any of it is read.
  if (Number.isFinite(declaredLength) && declaredLength > maxBytes + ENVELOPE_BYTES) {
    req.resume();
    return Promise.reject(new UploadTooLarge(maxBytes));
  }
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fileSize: maxBytes, fields: 10, fieldSize: 1024, parts: 12 }, defParamCharset: 'utf8' });
    } catch {
      req.resume();
      reject(bad('MULTIPART_REQUIRED', `Send the document as multipart/form-data with one part named "${part}"`));
      return;
    }
    let file: UploadedFile | null = null;
    const fields: Record<string, string> = {};
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      req.unpipe(parser);
      // The rest of the request is read and dropped, so that the client gets the answer instead of a reset.
      req.resume();
      reject(error);
    };
    parser.on('file', (field, stream, info) => {
      if (field !== part) {
        stream.resume();
        fail(bad('ATTACHMENT_FIELD', `The document goes in the part named "${part}", not "${field}"`));
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => fail(new UploadTooLarge(maxBytes)));
      stream.on('end', () => {
        if (!settled) file = { name: info.filename ?? '', declaredType: info.mimeType ?? '', content: Buffer.concat(chunks) };
      });
    });
    parser.on('field', (name: string, value: string) => {
      const refusal = options.onField?.(name, value);
      if (refusal) fail(refusal);
      else fields[name] = value;
    });
    parser.on('filesLimit', () => fail(bad('ATTACHMENT_ONE_FILE', 'Send one file per request')));
    parser.on('partsLimit', () => fail(bad('ATTACHMENT_ONE_FILE', 'Too many parts: send one file per request')));
    parser.on('error', (error: Error) => fail(bad('MULTIPART_MALFORMED', `The multipart body could not be read: ${error.message}`)));
    parser.on('close', () => {
      if (settled) return;
      settled = true;
      if (file) resolve({ ...file, fields });
      else reject(bad('ATTACHMENT_MISSING', `The request has no part named "${part}"`));
    });
    req.on('aborted', () => fail(bad('UPLOAD_ABORTED', 'The upload was interrupted')));
    req.pipe(parser);
  });
}
