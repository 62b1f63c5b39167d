import type { LookupFunction } from 'node:net';
import type { LlmSettings } from '@nachos/common';
import type { Agent as UndiciAgent, Dispatcher } from 'undici';
import { Agent, fetchOver } from './undici-agent.js';

/** What a provider gets to reach the network: keep-alive pools for its calls, `fetch` for image URLs. */
export interface UpstreamConnections {
  dispatcher: Dispatcher;
  fetch: typeof globalThis.fetch;
}

export interface UpstreamPoolSettings {
  /** Connect budget, TCP and TLS; a connect that takes longer fails as our own (local) failure. */
  connectTimeoutMs: number;
  /** Most connections per origin; 0 for no limit. */
  connections: number;
  /** Longest an idle connection is kept for the next call. */
  idleMs: number;
  /** Resolves hosts at connect time (the SSRF guard for endpoints added at run time). */
  lookup?: LookupFunction;
}

/** undici's own idle time, for pools built outside the configuration (discovery). */
const DEFAULT_IDLE_MS = 4_000;

/** The pool settings `[llm]` configures. */
export function upstreamPoolSettings(llm: LlmSettings): UpstreamPoolSettings {
  return { connectTimeoutMs: llm.timeouts.connect_ms, connections: llm.upstream_connections, idleMs: llm.upstream_idle_ms };
}

/**
 * An undici agent: one keep-alive pool per upstream origin. Its own header and body timeouts are off,
 * since llm-proxy's timeouts (connection, first token, idle, total) and the plugins' `timeout_ms`
 * decide when a call has waited too long, and say which phase it was. An idle connection closes after
 * `idleMs` whatever the provider's `Keep-Alive: timeout=` says (undici would honour hints up to ten
 * minutes), so the sockets a burst opened are gone soon after it, and a pool whose connections have all
 * closed is dropped with them.
 */
export function createUpstreamDispatcher(settings: UpstreamPoolSettings): Dispatcher {
  // undici refuses 0; 1 ms keeps nothing for reuse, which is what 0 asks for.
  const idleMs = Math.max(1, settings.idleMs);
  return new Agent({
    ...(settings.connections > 0 ? { connections: settings.connections } : {}),
    connect: { timeout: settings.connectTimeoutMs, ...(settings.lookup === undefined ? {} : { lookup: settings.lookup }) },
    keepAliveTimeout: idleMs,
    keepAliveMaxTimeout: idleMs,
    headersTimeout: 0,
    bodyTimeout: 0,
  });
}

/**
 * Pools and a `fetch` over the same pools (npm undici's, so that a call never loads Node's bundled
 * copy of undici beside it).
 */
export function createUpstreamConnections(settings: UpstreamPoolSettings): UpstreamConnections {
  const dispatcher = createUpstreamDispatcher(settings);
  return { dispatcher, fetch: fetchOver(dispatcher) };
}

let shared: UpstreamConnections | undefined;

/** The unguarded pools with undici's default connect timeout, for endpoints built outside the start-up path (discovery). */
export function defaultUpstreamConnections(): UpstreamConnections {
  shared ??= createUpstreamConnections({ connectTimeoutMs: 10_000, connections: 0, idleMs: DEFAULT_IDLE_MS });
  return shared;
}

/** Whether any of `dispatchers` carries a request now, to any origin. */
export function anyUpstreamCallRunning(dispatchers: Iterable<Dispatcher>): boolean {
  for (const dispatcher of new Set(dispatchers)) {
    if (!(dispatcher instanceof Agent)) continue;
    for (const stats of Object.values(dispatcher.stats)) if (stats.running > 0) return true;
  }
  return false;
}

/**
 * The sockets `dispatcher` holds open to the origin of `baseUrl`, and how many carry a request now (undici
 * keeps one pool per origin; a single connection per origin is a client, whose `connected` is a flag).
 */
export function connectionsTo(dispatcher: Dispatcher, baseUrl: string): { open: number; busy: number } {
  if (!(dispatcher instanceof Agent)) return { open: 0, busy: 0 };
  let origin: string;
  try {
    origin = new URL(baseUrl).origin;
  } catch {
    return { open: 0, busy: 0 };
  }
  const stats: UndiciAgent['stats'][string] | undefined = dispatcher.stats[origin];
  if (!stats) return { open: 0, busy: 0 };
  if ('free' in stats) return { open: stats.connected, busy: stats.connected - stats.free };
  return { open: stats.connected ? 1 : 0, busy: stats.connected && stats.running > 0 ? 1 : 0 };
}
