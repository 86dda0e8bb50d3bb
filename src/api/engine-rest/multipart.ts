import busboy from 'busboy';
import { Request } from 'express';

export interface MultipartForm {
  fields: Record<string, string>;
  files: { field: string; filename: string; contentType: string; content: string }[];
}

export class MultipartLimitError extends Error {}

export const MAX_FILE_BYTES = 5 * 1024 * 1024;
export const MAX_FILES = 50;

/** Reads a whole multipart/form-data body (busboy); every file part is read as UTF-8 text. */
export function parseMultipart(req: Request): Promise<MultipartForm> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { fileSize: MAX_FILE_BYTES, files: MAX_FILES, fields: 100, fieldSize: 64 * 1024 }, defParamCharset: 'utf8' });
    } catch (err) {
      reject(err);
      return;
    }
    const form: MultipartForm = { fields: {}, files: [] };
    let failed = false;
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      req.unpipe(parser);
      req.resume();
      reject(err);
    };
    parser.on('field', (name, value) => {
      form.fields[name] = value;
    });
    parser.on('file', (field, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => fail(new MultipartLimitError(`The part '${info.filename ?? field}' is larger than ${MAX_FILE_BYTES} bytes`)));
      stream.on('end', () => {
        form.files.push({ field, filename: info.filename ?? '', contentType: info.mimeType, content: Buffer.concat(chunks).toString('utf8').replace(/^\uFEFF/, '') });
      });
    });
    parser.on('filesLimit', () => fail(new MultipartLimitError(`A deployment may hold at most ${MAX_FILES} files`)));
    parser.on('error', (err: Error) => fail(err));
    parser.on('close', () => {
      if (!failed) resolve(form);
    });
    req.pipe(parser);
  });
}
