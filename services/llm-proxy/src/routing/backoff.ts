import type { CallSignal } from '@nachos/plugin-sdk';

/** Exponential backoff with full jitter: a random wait in [0, min(max, base·2^retry)). */
export function backoffDelayMs(retry: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(maxMs, baseMs * 2 ** retry));
}

/** Sleeps unless the signal aborts first; never outlives the request. */
export function sleep(ms: number, signal: CallSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
