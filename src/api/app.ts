import express, { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import type { SessionLimits } from '../identity/web-sessions';
import { ApiAuth, authenticate, defaultApiAuth, signInLimiter, webSessionsOf } from './auth';
import { bodyProblem } from './body-limits';
import { HostContext } from './context';
import { DomainError, httpStatus } from './errors';
import { engineRestRoutes } from './engine-rest';
import { ApiRoute, mountRoutes } from './route-table';
import { webAppRoutes } from './static';
import { logUnhandledError } from '../observability/request-log';
import { assignmentRoutes } from './routes/assignment';
import { attachmentRoutes } from './routes/attachments';
import { signingRoutes } from './routes/signing';
import { caseRoutes } from './routes/cases';
import { commentRoutes } from './routes/comments';
import { definitionRoutes } from './routes/definitions';
import { deploymentRoutes } from './routes/deployments';
import { documentRoutes, verificationPage } from './routes/documents';
import { instanceRoutes } from './routes/instances';
import { notificationRoutes } from './routes/notifications';
import { reportRoutes } from './routes/reports';
import { calendarRoutes } from './routes/calendar';
import { serviceRoutes } from './routes/service';
import { sessionRoutes } from './routes/session';
import { taskRoutes } from './routes/tasks';
import { timerRoutes } from './routes/timers';

export const MAX_BODY = '5mb';

export interface AppOptions {
  /** Where clients reach the server (PUBLIC_URL, or the listening address): the base of links in answers, never the request's Host. */
  publicUrl(): string;
  /** Failed sign-ins per client and window before 429 (0 = no limit). */
  authFailureLimit: number;
  authFailureWindowMs: number;
  /** How long a web app session lives (SESSION_MAX_AGE_MS, SESSION_IDLE_MS). */
  sessionLimits?: SessionLimits;
}

/**
 * Headers for every answer. The web app loads only its own scripts (Vite's build has no inline
 * script); bpmn-js sets inline styles and draws with data:/blob: images. No page may frame it. TLS
 * and its Strict-Transport-Security belong to the proxy in front; this server speaks plain HTTP, so
 * neither HSTS nor upgrade-insecure-requests is sent.
 */
const securityHeaders = (ncalayerUrl: string) => helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      'default-src': ["'self'"],
      'script-src': ["'self'"],
      'script-src-attr': ["'none'"],
      'style-src': ["'self'", "'unsafe-inline'"],
      'img-src': ["'self'", 'data:', 'blob:'],
      'font-src': ["'self'", 'data:'],
      // NCALayer listens on the signer's own computer (NCALAYER_URL); the draft's preview is a blob of the bytes fetched.
      'connect-src': ["'self'", 'blob:', new URL(ncalayerUrl).origin],
      'frame-src': ["'self'", 'blob:'],
      'object-src': ["'none'"],
      'base-uri': ["'self'"],
      'form-action': ["'self'"],
      'frame-ancestors': ["'none'"],
    },
  },
  frameguard: { action: 'deny' },
  strictTransportSecurity: false,
});

/** The REST API under /api. Every error leaves as { error: { code, message, details } }. */
export function createApp(host: HostContext, options: AppOptions = { publicUrl: () => 'http://127.0.0.1:8080', authFailureLimit: 0, authFailureWindowMs: 1000 }): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // Read by /engine-rest for its links.
  app.locals.publicUrl = options.publicUrl;
  const limiter = signInLimiter({ limit: options.authFailureLimit, windowMs: options.authFailureWindowMs });
  const auth: ApiAuth = {
    limiter,
    sessions: webSessionsOf(host, options.sessionLimits),
    // TLS ends at the proxy in front (see securityHeaders): PUBLIC_URL says whether browsers reach us over https.
    secureCookies: (req) => options.publicUrl().startsWith('https:') || req.secure,
  };
  app.use(securityHeaders(host.ncalayerUrl));
  // Answers of both APIs carry personal data (applicants, decisions) or credentials checks: never stored by a cache.
  app.use(['/api', '/engine-rest'], (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  const api = createApiRouter(host, auth);
  app.use('/api', api, notAnEndpoint);
  app.use('/api', errorHandler);
  app.use('/engine-rest', engineRestRoutes(host, limiter));
  // The page a printed document's QR code leads to: public, before the web app's own routes.
  app.use(verificationPage(host));
  app.use(webAppRoutes(host));
  return app;
}

/** Every route of /api, in the order they are matched: the route table the router and the OpenAPI document are made of. */
export function apiRoutes(host: HostContext, auth: ApiAuth = defaultApiAuth(host)): ApiRoute[] {
  const routes: ApiRoute[] = [
    ...serviceRoutes(host, () => routes),
    ...sessionRoutes(host, auth),
    ...definitionRoutes(host),
    ...instanceRoutes(host),
    ...documentRoutes(host),
    ...caseRoutes(host),
    ...taskRoutes(host),
    ...assignmentRoutes(host),
    ...commentRoutes(host),
    ...attachmentRoutes(host),
    ...signingRoutes(host),
    ...deploymentRoutes(host),
    ...timerRoutes(host),
    ...notificationRoutes(host),
    ...reportRoutes(host),
    ...calendarRoutes(host),
  ];
  return routes;
}

/** The /api router: body parsers and bounds, the public routes, authentication, the rest, and a 404 for anything else. */
export function createApiRouter(host: HostContext, auth: ApiAuth = defaultApiAuth(host), routes: readonly ApiRoute[] = apiRoutes(host, auth)): express.Router {
  const api = express.Router();
  api.use(express.json({ limit: MAX_BODY }));
  api.use(express.text({ type: ['application/xml', 'text/xml', 'application/bpmn+xml'], limit: MAX_BODY }));
  api.use((req, _res, next) => {
    const problem = bodyProblem(req.body);
    next(problem ? new DomainError('invalid', problem.code, problem.message, problem.details) : undefined);
  });
  mountRoutes(api, routes.filter((r) => r.public));
  api.use(authenticate(host.users, auth));
  mountRoutes(api, routes.filter((r) => !r.public));
  return api;
}

/** Answers 404 for what no route of /api serves (after the router, so a test can add routes to it). */
function notAnEndpoint(req: Request, _res: Response, next: NextFunction): void {
  next(new DomainError('not-found', 'NOT_FOUND', `No API endpoint ${req.method} ${req.baseUrl}${req.path}`));
}

function errorHandler(err: unknown, req: Request, res: Response, _next: NextFunction): void {
  if (err instanceof DomainError) {
    res.status(httpStatus(err)).json({ error: { code: err.code, message: err.message, details: err.details } });
    return;
  }
  const e = err as { type?: string; status?: number; message?: string };
  if (e?.type === 'entity.parse.failed') {
    res.status(400).json({ error: { code: 'MALFORMED_JSON', message: 'The request body is not valid JSON' } });
    return;
  }
  if (e?.type === 'entity.too.large') {
    res.status(413).json({ error: { code: 'PAYLOAD_TOO_LARGE', message: `The request body is larger than ${MAX_BODY}` } });
    return;
  }
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
    res.status(e.status).json({ error: { code: 'BAD_REQUEST', message: e.message ?? 'Bad request' } });
    return;
  }
  // Internals (stack, SQL) go to the log, never to the client.
  logUnhandledError(req, err);
  res.status(500).json({ error: { code: 'INTERNAL', message: 'Internal server error; the operation was not applied' } });
}
