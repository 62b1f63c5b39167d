import { Router } from 'express';
import { adminConsoleRoutes, type AdminConsoleDependencies } from '../routes/admin-console-routes.js';
import { serveConsole } from './serve-console.js';

/** Everything the console adds under `/admin`: its page and assets, and the admin routes its pages read. */
export function adminConsole(dependencies: AdminConsoleDependencies): Router {
  const router = Router();
  router.use(serveConsole());
  router.use(adminConsoleRoutes(dependencies));
  return router;
}
