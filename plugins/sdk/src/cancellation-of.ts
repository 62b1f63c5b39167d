import type { CallSignal } from './call-signal.js';
import type { CallOptions } from './provider-plugin.js';

/**
 * What a plugin passes to `fetchUpstream` as its signal: the call's `cancellation`, which needs no
 * `AbortController`, where the host gives one (llm-proxy does, and makes `signal` only when it is first
 * read), else its `AbortSignal`.
 */
export function cancellationOf(callOptions: Pick<CallOptions, 'signal' | 'cancellation'>): CallSignal {
  return callOptions.cancellation ?? callOptions.signal;
}
