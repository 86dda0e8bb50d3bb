/**
 * One table of /api routes: each entry is both the express route and its part of the OpenAPI
 * document (src/api/openapi.ts), so the contract cannot drift from what is served. A route states
 * who may call it (checked before its input is read), its path, query, header and body schemas,
 * and its answers; its handler gets the parsed input and returns the JSON to answer with.
 */
import { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { User } from '../identity/users';
import { currentUser } from './auth';
import { parseInput } from './validation';

export interface RouteAnswer {
  description: string;
  /** JSON answer; omitted for answers with no JSON body. */
  schema?: z.ZodType;
  /** Another media type (e.g. application/xml) whose body is a string. */
  mediaType?: string;
}

type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteInput<P, Q, H, B> {
  req: Request;
  res: Response;
  /** The signed-in user (every route but the public ones). */
  user: User;
  params: Out<P>;
  query: Out<Q>;
  headers: Out<H>;
  /** The JSON body parsed by `body`, or the raw text of an XML body when `xmlBody` is set. */
  body: Out<B> | string;
}

export interface ApiRoute<P extends Schema | undefined = Schema | undefined, Q extends Schema | undefined = Schema | undefined, H extends Schema | undefined = Schema | undefined, B extends Schema | undefined = Schema | undefined> {
  method: 'get' | 'post' | 'put';
  /** Express path under /api, e.g. `/tasks/:id`. */
  path: string;
  summary: string;
  description?: string;
  /** Served without a token (health check, this document). */
  public?: boolean;
  /** Who may call it; throws the refusal. Runs before any input is read. */
  access?: (user: User) => void;
  params?: P;
  query?: Q;
  headers?: H;
  body?: B;
  /** The body may also be an XML document (application/xml, text/xml, application/bpmn+xml) handed over as text. */
  xmlBody?: boolean;
  /** The body is multipart/form-data with one file part of this description; the handler reads it from `req` itself (streamed, never parsed here). */
  multipartFile?: string;
  /** Answers beyond the standard errors (400, 401, 403, 404), by status. */
  responses: Record<number, RouteAnswer>;
  handle(input: RouteInput<P, Q, H, B>): unknown;
}

/** Declares a route with its input types inferred from its schemas. */
export function route<P extends Schema | undefined = undefined, Q extends Schema | undefined = undefined, H extends Schema | undefined = undefined, B extends Schema | undefined = undefined>(
  spec: ApiRoute<P, Q, H, B>,
): ApiRoute {
  return spec as unknown as ApiRoute;
}

/** Registers the routes on the router; each one's handler answers JSON unless it has answered itself. */
export function mountRoutes(router: Router, routes: readonly ApiRoute[]): void {
  for (const spec of routes) {
    router[spec.method](spec.path, async (req: Request, res: Response) => {
      const user = spec.public ? (req.user as User) : currentUser(req);
      spec.access?.(user);
      const params = spec.params ? parseInput('params', spec.params, req.params) : undefined;
      const headers = spec.headers ? parseInput('headers', spec.headers, headerValues(req, spec.headers)) : undefined;
      const query = spec.query ? parseInput('query', spec.query, req.query) : undefined;
      const body = spec.xmlBody && typeof req.body === 'string' ? req.body : spec.body ? parseInput('body', spec.body, req.body ?? {}) : undefined;
      const answer = await spec.handle({ req, res, user, params, query, headers, body } as RouteInput<Schema, Schema, Schema, Schema>);
      if (!res.headersSent) res.json(answer);
    });
  }
}

/** The headers a schema names, under the schema's spelling (express reads them case-insensitively). */
function headerValues(req: Request, schema: Schema): Record<string, string | undefined> {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape ?? {};
  return Object.fromEntries(Object.keys(shape).map((name) => [name, req.get(name)]));
}
