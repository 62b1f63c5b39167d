import type { CallCancellation, CallOptions, Secret } from '@nachos/plugin-sdk';

/**
 * `signal`, the same getter on every attempt's options. Written in the options' object literal, a getter
 * is a new closure per call, and V8 keeps each such accessor in an AccessorPair in the old generation.
 * Dead, that pair still held the closure, and through it the call's request and routing state, across
 * every scavenge until a full collection: at concurrency 1 llm-proxy promoted all of it, and ran a
 * mark-compact every 2 s. A shared getter is kept once, in the hidden class.
 */
const SIGNAL: PropertyDescriptor = {
  get(this: CallOptions): AbortSignal {
    return (this.cancellation as CallCancellation).signal;
  },
  enumerable: true,
};

/**
 * One attempt's `CallOptions`. `signal` stays an own, enumerable property (a plugin may spread the
 * options), and its `AbortSignal` is made only for a plugin that reads it: the SDK's `fetchUpstream`
 * takes the cancellation.
 */
export function attemptCallOptions(
  cancellation: CallCancellation,
  requestId: string,
  apiKey: Secret | undefined,
  headers: Readonly<Record<string, string>>,
  onUpstreamProgress: (stage: 'sent' | 'headers') => void,
): CallOptions {
  const options: Omit<CallOptions, 'signal'> = { cancellation, requestId, headers, onUpstreamProgress };
  if (apiKey !== undefined) options.apiKey = apiKey;
  return Object.defineProperty(options, 'signal', SIGNAL) as CallOptions;
}
