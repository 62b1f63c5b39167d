import type { Response } from 'express';
import type { CallContext } from '../llm-proxy/llm-proxy-client.js';
import { requestScopeOf } from '../policy/request-scope.js';

const LISTING_TIMEOUT_MS = 10_000;

/** A model listing made for a request: its id and scope, and a timeout of its own. */
export function listingContext(response: Response): CallContext {
  return { requestId: response.locals.requestId as string, signal: AbortSignal.timeout(LISTING_TIMEOUT_MS), scope: requestScopeOf(response) };
}

/** A call that is cancelled when the client goes away before the answer. */
export function disconnectContext(response: Response): CallContext {
  const controller = new AbortController();
  response.on('close', () => {
    if (!response.writableFinished) controller.abort();
  });
  return { requestId: response.locals.requestId as string, signal: controller.signal, scope: requestScopeOf(response) };
}
