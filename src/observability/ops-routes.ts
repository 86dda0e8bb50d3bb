import { timingSafeEqual } from 'node:crypto';
import express, { NextFunction, Request, Response, Router } from 'express';
import type { Metrics } from './metrics';
import type { Readiness } from './readiness';

export interface MetricsAccess {
  /** METRICS_TOKEN: scrapers send `Authorization: Bearer <token>`. */
  token?: string;
  /** METRICS_PORT is set: /metrics is served there only, not on the API's port. */
  separatePort: boolean;
}

/**
 * /health/live, /health/ready and /metrics, ahead of the API (no user token: probes and scrapers
 * are not users). `where` says which listener this is: the API's port, or METRICS_PORT's.
 */
export function opsRoutes(metrics: Metrics, readiness: Readiness, access: MetricsAccess, where: 'api' | 'metrics-port'): Router {
  const router = express.Router();
  router.get('/health/live', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ status: 'live' });
  });
  router.get('/health/ready', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const state = readiness.state;
    res.status(state === 'ready' ? 200 : 503).json({ status: state });
  });
  router.get('/metrics', async (req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    if (where === 'api' && access.separatePort) {
      res.status(404).json({ error: { code: 'NOT_FOUND', message: 'Metrics are served on METRICS_PORT' } });
      return;
    }
    if (where === 'api' && !access.token) {
      res.status(403).json({ error: { code: 'METRICS_NOT_ENABLED', message: 'Set METRICS_TOKEN (scrape with Authorization: Bearer) or METRICS_PORT (a port of their own) to serve /metrics' } });
      return;
    }
    if (access.token && !bearerIs(req, access.token)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      res.status(401).json({ error: { code: 'UNAUTHENTICATED', message: 'Send "Authorization: Bearer <METRICS_TOKEN>"' } });
      return;
    }
    try {
      const { contentType, body } = await metrics.render();
      res.setHeader('Content-Type', contentType);
      res.send(body);
    } catch (error) {
      next(error);
    }
  });
  return router;
}

/** While the server starts (migrations ran, processes/ not yet deployed) the API says so instead of answering from half a deployment. */
export function notWhileStarting(readiness: Readiness) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    if (readiness.state !== 'starting') return next();
    res.setHeader('Retry-After', '1');
    res.status(503).json({ error: { code: 'STARTING', message: 'The server is starting (deploying processes); try again in a moment' } });
  };
}

function bearerIs(req: Request, token: string): boolean {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!match) return false;
  const given = Buffer.from(match[1]);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
