import type { Request } from 'express';

/**
 * The parsed body, taken off the request by the chat route that parses it into its call. The request lives
 * as long as its answer, so a body left on it would keep the whole prompt in memory for a stream's life;
 * every check that reads the body has run before the route.
 */
export function takeBody(request: Request): unknown {
  const body: unknown = request.body;
  request.body = undefined;
  return body;
}
