import type { Response } from 'express';
import type { Caller } from '../auth/caller.js';
import type { UsageMeter } from '../usage/usage-meter.js';

/** What llm-proxy must know about the request a call serves, and where its usage is counted. */
export interface RequestScope {
  caller: Caller;
  /** Client headers the header rules may forward (see `HeaderForwarding`). */
  forwardedHeaders: Readonly<Record<string, string>>;
  meter: UsageMeter;
}

/**
 * The admitted request's scope, which admission keeps on the response. Routes pass it with every
 * llm-proxy call they make (in the call's context), so the client sends the caller's policy with each one;
 * undefined when the gateway runs without a policy.
 */
export function requestScopeOf(response: Response): RequestScope | undefined {
  return response.locals.scope as RequestScope | undefined;
}
