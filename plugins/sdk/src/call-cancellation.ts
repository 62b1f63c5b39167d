import type { CallSignal } from './call-signal.js';

/**
 * A {@link CallSignal} without an `AbortController` behind it: one call's, one attempt's or one stream's
 * cancellation, with plain fields and plain listeners. An `AbortController` and `EventTarget`
 * listeners on it cost about as much per call as the rest of the routing, so the `AbortSignal` that follows
 * this cancellation ({@link CallCancellation.signal}) is made only for code that asks for one (a plugin
 * that passes it to `fetch`).
 *
 * As on an `AbortSignal`: the first reason wins, a listener added twice is there once and runs once, and
 * one added after the abort never runs.
 */
export class CallCancellation implements CallSignal {
  aborted = false;
  reason: unknown = undefined;
  /**
   * One listener as itself, more in a list. Almost every cancellation has one listener, and it lives as
   * long as its stream: an array for it would be an object and a backing store more for each scavenge to copy.
   */
  #listeners: (() => void) | (() => void)[] | undefined = undefined;
  #controller: AbortController | undefined;

  /** An `AbortSignal` that aborts with this cancellation, and with its reason; made on first read. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.aborted) this.#controller.abort(this.reason);
    }
    return this.#controller.signal;
  }

  addEventListener(_type: 'abort', listener: () => void): void {
    const listeners = this.#listeners;
    if (this.aborted || listener === listeners) return;
    if (listeners === undefined) this.#listeners = listener;
    else if (typeof listeners === 'function') this.#listeners = [listeners, listener];
    else if (!listeners.includes(listener)) listeners.push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const listeners = this.#listeners;
    if (listeners === listener) this.#listeners = undefined;
    else if (Array.isArray(listeners)) {
      const at = listeners.indexOf(listener);
      if (at >= 0) listeners.splice(at, 1);
    }
  }

  abort(reason?: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    // The signal first, so that a listener reading it sees it aborted, as one on the signal would.
    this.#controller?.abort(reason);
    const listeners = this.#listeners;
    this.#listeners = undefined;
    if (typeof listeners === 'function') listeners();
    else if (listeners) for (const listener of listeners) listener();
  }
}
