import type { CallSignal } from './call-signal.js';

/**
 * A {@link CallSignal} without an `AbortController` behind it: one call's cancellation, with plain fields
 * and a plain list of listeners. An `AbortController` and `EventTarget` listeners on it cost about as
 * much per call as the rest of the routing; plugins still get a real `AbortSignal` per attempt, which
 * follows this one (guard-upstream-events.ts).
 *
 * As on an `AbortSignal`: the first reason wins, a listener added twice is there once and runs once, and
 * one added after the abort never runs.
 */
export class CallCancellation implements CallSignal {
  aborted = false;
  reason: unknown = undefined;
  #listeners: (() => void)[] = [];

  addEventListener(_type: 'abort', listener: () => void): void {
    if (!this.aborted && !this.#listeners.includes(listener)) this.#listeners.push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const at = this.#listeners.indexOf(listener);
    if (at >= 0) this.#listeners.splice(at, 1);
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = this.#listeners;
    this.#listeners = [];
    for (const listener of listeners) listener();
  }
}
