import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express, { Router, type Response } from 'express';

/** Where the build puts the console (services/admin-console/dist), beside this service in the repository and the image. */
const CONSOLE_DIST = fileURLToPath(new URL('../../../admin-console/dist/', import.meta.url));

/**
 * Scripts and styles only from this origin, data only from the admin API, no inline script or style, no
 * framing, no plugins; the page reads values as text, and this makes that the browser's rule too.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The admin console's static files under `/admin/`: `index.html` revalidated on every load, and the
 * hashed assets it names cached for a year (their names change when their content does). The page holds
 * no secret: the admin key is asked for in it and sent by it, to the admin API.
 */
export function serveConsole(dist: string = CONSOLE_DIST): Router {
  const router = Router();
  const built = existsSync(`${dist}index.html`);
  router.use((request, response, next) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    if (request.path !== '/' && !request.path.startsWith('/assets/')) return next();
    secureHeaders(response);
    if (request.path === '/' && request.originalUrl.split('?')[0] === request.baseUrl) {
      // `/admin` → `/admin/`, so the page's relative URLs (`v1/…`, `assets/…`) land under /admin.
      return response.redirect(308, `${request.baseUrl}/`);
    }
    if (!built) {
      response.status(404).type('text/plain').send('The admin console is not built: run `npm run build`.');
      return;
    }
    next();
  });
  router.get('/', (_request, response) => {
    response.setHeader('cache-control', 'no-cache');
    response.sendFile('index.html', { root: dist, dotfiles: 'deny' });
  });
  router.use(
    '/assets',
    express.static(`${dist}assets`, {
      immutable: true,
      maxAge: '365d',
      index: false,
      redirect: false,
      fallthrough: false,
    }),
  );
  return router;
}

function secureHeaders(response: Response): void {
  response.setHeader('content-security-policy', CONSOLE_CSP);
  response.setHeader('x-content-type-options', 'nosniff');
  response.setHeader('referrer-policy', 'no-referrer');
  response.setHeader('x-frame-options', 'DENY');
  response.setHeader('cross-origin-opener-policy', 'same-origin');
}
