import type { Dispatcher } from 'undici';

let shared: Promise<Dispatcher> | undefined;

/**
 * The keep-alive agent (one pool per origin) used when a provider context brings no dispatcher of its
 * own: plugin tests, and hosts other than llm-proxy. Loaded on first use, so that processes which use
 * the SDK only for its types and errors (the gateway) never load undici.
 */
export function defaultUpstreamDispatcher(): Promise<Dispatcher> {
  shared ??= import('undici').then(({ Agent }) => new Agent());
  return shared;
}
