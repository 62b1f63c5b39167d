import { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorRequestHandler, Express, NextFunction, Request, RequestHandler, Response } from 'express';

/** A step of a chat's chain: an ordinary handler, or an error handler (four parameters) that runs only on an error. */
export type ChainStep = RequestHandler | ErrorRequestHandler;

/** The chain one chat path runs, from the request id to the route, and what answers its errors. */
export interface ChatChain {
  paths: readonly string[];
  steps: readonly ChainStep[];
}

/**
 * Puts the chats ahead of Express's router: a `POST` to a chat path exactly as clients send it (any query
 * string) runs its chain as soon as node:http hands the request over, the way the router would run it but
 * without walking the router's layers. Everything else, and any other spelling of a chat path (a trailing
 * slash, other case), goes through the router as before, whose own chat routes run the same steps. It
 * replaces the app's `handle`, the one entry both `app.listen` and `createServer(app)` call.
 */
export function dispatchChatsFirst(app: Express, chains: readonly ChatChain[], errorHandler: ErrorRequestHandler): void {
  const byPath = new Map<string, readonly ChainStep[]>();
  // The first chain given a path takes it, as the first route registered for it does in the router.
  for (const chain of chains) for (const path of chain.paths) if (!byPath.has(path)) byPath.set(path, chain.steps);
  const routed = app as unknown as { handle: (request: Request, response: Response, callback?: NextFunction) => void };
  const handle = routed.handle.bind(app);
  routed.handle = (request, response, callback) => {
    const steps = request.method === 'POST' ? byPath.get(pathOf(request.url)) : undefined;
    if (!steps) return handle(request, response, callback);
    // What Express's app and router give every request before its first handler (x-powered-by is off).
    request.res = response;
    response.req = request;
    if (!app.request.isPrototypeOf(request)) {
      Object.setPrototypeOf(request, app.request);
      Object.setPrototypeOf(response, app.response);
    }
    response.locals = Object.create(null) as Response['locals'];
    request.originalUrl = request.url;
    request.baseUrl = '';
    request.params = {};
    runChain(request, response, steps, errorHandler);
  };
}

/**
 * The server's request and response classes with Express's helpers already on their prototype chain, for
 * `createServer`: a chat's request and response then keep the shape they were made with, where setting their
 * prototype on arrival (as Express does) would cost the swap and make every later property access slower.
 */
export function withExpressHelpers(app: Express): { IncomingMessage: typeof IncomingMessage; ServerResponse: typeof ServerResponse } {
  class ExpressRequest extends IncomingMessage {}
  Object.setPrototypeOf(ExpressRequest.prototype, app.request);
  class ExpressResponse extends ServerResponse {}
  Object.setPrototypeOf(ExpressResponse.prototype, app.response);
  return { IncomingMessage: ExpressRequest, ServerResponse: ExpressResponse as typeof ServerResponse };
}

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/**
 * Express's semantics for one route: each step in turn, error handlers skipped until there is an error
 * and ordinary steps skipped after one; a thrown error or a rejected promise is passed on as an error. An
 * error left at the end goes to the app's error handler.
 */
function runChain(request: Request, response: Response, steps: readonly ChainStep[], errorHandler: ErrorRequestHandler): void {
  let index = 0;
  const next = (error?: unknown): void => {
    while (index < steps.length) {
      const step = steps[index++]!;
      const handlesErrors = step.length === 4;
      if (Boolean(error) !== handlesErrors) continue;
      // Called here, not through a closure per step: a chat runs about ten of them.
      let result: unknown;
      try {
        result = handlesErrors ? (step as ErrorRequestHandler)(error, request, response, next) : (step as RequestHandler)(request, response, next);
      } catch (thrown) {
        next(thrown);
        return;
      }
      settle(result, next);
      return;
    }
    if (error) {
      try {
        settle(errorHandler(error, request, response, giveUp), giveUp);
      } catch {
        giveUp();
      }
    }
  };
  // Where Express's final handler would take an error the error handler itself failed on.
  const giveUp = (): void => {
    response.destroy();
  };
  request.next = next;
  next();
}

/** A step that returned a promise fails as a thrown error would when the promise rejects. */
function settle(result: unknown, next: (error?: unknown) => void): void {
  const promise = result as PromiseLike<unknown> | undefined;
  if (promise && typeof promise.then === 'function') promise.then(undefined, (error: unknown) => next(error || new Error('Rejected promise')));
}
