import { AsyncLocalStorage } from 'node:async_hooks';
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
 * The admitted request each llm-proxy call is made for. Admission enters it after the body is read, and
 * every call a route makes from there (chat, embeddings, model listings, in any protocol's router) runs
 * inside it, so the client sends the caller's policy with each call without every route passing it on.
 */
export const requestScope = new AsyncLocalStorage<RequestScope>();
