import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from './logger';

/** An X-Request-Id a proxy or client sent is kept when it is a plain token; anything else is replaced (it goes into every log line). */
const REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

declare module 'express-serve-static-core' {
  interface Request {
    /** This request's id (X-Request-Id), also in the answer's header and every log line of the request. */
    id?: string;
    /** The logger of this request: its lines carry the request id. */
    log?: Logger;
  }
}

/**
 * Logs every request once, when its answer has been sent (or the client went away): request id,
 * user id, method, path, status and duration in milliseconds. The path is logged without its
 * query string, which may carry a search for a name or an IIN; headers and bodies are never logged.
 */
export function requestLog(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const sent = req.headers['x-request-id'];
    const id = typeof sent === 'string' && REQUEST_ID.test(sent) ? sent : randomUUID();
    req.id = id;
    req.log = logger.child({ requestId: id });
    res.setHeader('X-Request-Id', id);
    const startedAt = performance.now();
    let logged = false;
    const done = () => {
      if (logged) return;
      logged = true;
      const line = {
        requestId: id,
        userId: (req as { user?: { id?: string } }).user?.id ?? null,
        method: req.method,
        path: pathOf(req.originalUrl),
        status: res.writableFinished ? res.statusCode : null,
        durationMs: Math.round((performance.now() - startedAt) * 10) / 10,
        ...(res.writableFinished ? {} : { aborted: true }),
      };
      const level = !res.writableFinished ? 'warn' : res.statusCode >= 500 ? 'error' : 'info';
      logger[level](line, 'request');
    };
    res.once('finish', done);
    res.once('close', done);
    next();
  };
}

/** The path of a URL without its query string or fragment. */
export function pathOf(url: string): string {
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

/** An error no route handled: logged with the request's id (the client gets only "internal error"). */
export function logUnhandledError(req: Request, error: unknown): void {
  if (req.log) req.log.error({ err: error }, 'unhandled error');
  else console.error('Unhandled error:', error);
}
