import fs from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';
import { HostContext } from './context';

/** Where `vite build` writes the web app (see vite.config.ts); WEB_DIR overrides it. */
export function webAppDir(): string {
  if (process.env.WEB_DIR) return path.resolve(process.env.WEB_DIR);
  // Walk up from this file (src/api or dist/src/api) to the folder holding package.json.
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return path.join(dir, 'dist-web');
}

const MISSING_BUILD = `<!doctype html><html><head><meta charset="utf-8"><title>Reglament</title></head><body>
<h1>The web app is not built</h1>
<p>Run <code>npm run build</code> (it runs <code>vite build</code> into <code>dist-web/</code>) and reload this page.
The REST API is at <a href="/api/openapi.json">/api</a>, the Camunda-compatible subset at <code>/engine-rest</code>.</p>
</body></html>`;

/**
 * The web app built by Vite, served at `/` with a fallback to index.html for the app's own
 * routes (/tasks, /instances/..., /catalog, /head).
 */
export function webAppRoutes(host: HostContext, dir = webAppDir()): Router {
  const router = Router();

  router.use(express.static(dir, { index: false, fallthrough: true, maxAge: '1h', setHeaders: (res, file) => file.endsWith('.html') && res.setHeader('Cache-Control', 'no-cache') }));

  router.get(/^\/(?!api\/|api$|engine-rest\/|engine-rest$).*/, (req, res, next) => {
    // Files with an extension that were not found above are real 404s, not app routes.
    if (path.extname(req.path) !== '') return next();
    const index = path.join(dir, 'index.html');
    if (!fs.existsSync(index)) {
      res.status(503).type('html').send(MISSING_BUILD);
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return router;
}
