import { CallCancellation, ProviderError, type CallSignal, type StreamEvent } from '@nachos/plugin-sdk';

export interface StreamTimeouts {
  /** Until the upstream answers at all (its response headers, or the plugin's first event). */
  connectMs: number;
  /** From the start of the attempt until the first content event (text, reasoning, tool call, finish), answered or not. */
  firstTokenMs: number;
  /** Longest gap between two events once content flows. */
  idleMs: number;
  /** Whole attempt. */
  totalMs: number;
}

/**
 * Runs a plugin's event stream under the timeouts. A timeout aborts the attempt's cancellation (which the
 * plugin passed to its upstream call, closing the connection) and surfaces as a `timeout`
 * ProviderError; waiting is raced against the signal, so even a plugin that ignores it cannot hang
 * the call.
 *
 * A stream is timed per event: the first token from the start (whether or not the upstream has
 * answered by then), the wait for the upstream's answer on its own clock, then the gap between events. A non-streaming call has no events until its answer is whole, so it is timed by its
 * first byte (the response headers, which the plugin reports through `onUpstreamProgress`) and its
 * total. A timeout that fires before the request ever left on a connection (it waited for a pooled
 * connection, or for the connect) is marked `local`: our saturation, not the provider's doing.
 *
 * An iterator written by hand rather than a generator: each event costs one promise and no closure,
 * and no generator hop sits between the plugin and the router.
 */
export function guardUpstreamEvents(
  start: (attempt: CallCancellation, onUpstreamProgress: (stage: 'sent' | 'headers') => void) => AsyncIterable<StreamEvent>,
  timeouts: StreamTimeouts,
  parent: CallSignal,
  stream = true,
): AsyncIterableIterator<StreamEvent> {
  return new GuardedEvents(start, timeouts, parent, stream);
}

type Phase = 'first token' | 'gap between events' | 'first byte' | 'answer';

const DONE: IteratorResult<StreamEvent> = { done: true, value: undefined };

class GuardedEvents implements AsyncIterableIterator<StreamEvent> {
  /** The attempt's own cancellation: the parent's, a timeout, or the attempt abandoned. */
  readonly #cancellation = new CallCancellation();
  readonly #parent: CallSignal;
  readonly #stream: boolean;
  readonly #timeouts: StreamTimeouts;
  readonly #total: ReturnType<typeof setTimeout>;
  #iterator: AsyncIterator<StreamEvent> | undefined;
  #sent = false;
  // One phase timer: the first token from the start until the first content event (an answer's headers
  // or start event does not restart it), then the gap between events, re-armed per event with
  // `refresh()` (no allocation per token). A non-streaming call: the first byte, then the answer, which
  // only the total bounds. Beside it, the wait for the upstream's answer has a clock of its own.
  #phase: Phase;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #connecting: ReturnType<typeof setTimeout> | undefined;
  #closed = false;
  /**
   * The caller's wait for the next event, settled by the event or by an abort, whichever comes first.
   * Two fields filled by an executor made once, rather than an object and a closure per event.
   */
  #resolve: ((result: IteratorResult<StreamEvent>) => void) | undefined;
  #reject: ((error: unknown) => void) | undefined;

  constructor(
    start: (attempt: CallCancellation, onUpstreamProgress: (stage: 'sent' | 'headers') => void) => AsyncIterable<StreamEvent>,
    timeouts: StreamTimeouts,
    parent: CallSignal,
    stream: boolean,
  ) {
    this.#parent = parent;
    this.#stream = stream;
    this.#timeouts = timeouts;
    if (parent.aborted) this.#abortFromParent();
    parent.addEventListener('abort', this.#abortFromParent, { once: true });
    this.#total = setTimeout(() => this.#expire('response', timeouts.totalMs), timeouts.totalMs);
    this.#phase = stream ? 'first token' : 'first byte';
    this.#timer = setTimeout(this.#expirePhase, this.#limit(this.#phase));
    this.#connecting = stream ? setTimeout(() => this.#expire('connection', timeouts.connectMs), timeouts.connectMs) : undefined;
    try {
      this.#iterator = start(this.#cancellation, this.#onUpstreamProgress)[Symbol.asyncIterator]();
    } catch (error) {
      this.#close(false);
      throw error;
    }
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<StreamEvent> {
    return this;
  }

  next(): Promise<IteratorResult<StreamEvent>> {
    if (this.#closed) return Promise.resolve(DONE);
    if (this.#cancellation.aborted) {
      this.#close(false);
      return Promise.reject(this.#cancellation.reason as Error);
    }
    const waiting = new Promise<IteratorResult<StreamEvent>>(this.#wait);
    try {
      (this.#iterator as AsyncIterator<StreamEvent>).next().then(this.#onResult, this.#onError);
    } catch (error) {
      this.#onError(error);
    }
    return waiting;
  }

  readonly #wait = (resolve: (result: IteratorResult<StreamEvent>) => void, reject: (error: unknown) => void): void => {
    this.#resolve = resolve;
    this.#reject = reject;
  };

  /** The caller stopped early: the attempt is abandoned (a completed one keeps its connection for reuse). */
  return(): Promise<IteratorResult<StreamEvent>> {
    if (!this.#closed) this.#close(false);
    return Promise.resolve(DONE);
  }

  readonly #onResult = (result: IteratorResult<StreamEvent>): void => {
    const resolve = this.#resolve;
    if (resolve === undefined) return;
    this.#resolve = this.#reject = undefined;
    if (result.done === true) {
      this.#close(true);
      resolve(DONE);
      return;
    }
    this.#answered();
    // Once events flow, a non-streaming call is timed like a stream (a host may stream anyway).
    const { type } = result.value;
    const content = type !== 'start' && type !== 'usage';
    this.#enter(content || this.#phase === 'gap between events' ? 'gap between events' : 'first token');
    resolve(result);
  };

  readonly #onError = (error: unknown): void => {
    const reject = this.#reject;
    if (reject === undefined) return;
    this.#resolve = this.#reject = undefined;
    const cancellation = this.#cancellation;
    const failure = cancellation.aborted && ProviderError.isInstance(cancellation.reason) ? cancellation.reason : error;
    this.#close(false);
    reject(failure);
  };

  /**
   * Aborts the attempt and fails a wait under way at once. Only this class aborts its cancellation, so it
   * settles the wait itself rather than through a listener on it.
   */
  #abort(reason: unknown): void {
    this.#cancellation.abort(reason);
    const reject = this.#reject;
    if (reject === undefined) return;
    this.#resolve = this.#reject = undefined;
    this.#close(false);
    reject(this.#cancellation.reason);
  }

  readonly #abortFromParent = (): void => this.#abort(this.#parent.reason);

  readonly #onUpstreamProgress = (stage: 'sent' | 'headers'): void => {
    if (stage === 'sent') this.#sent = true;
    else {
      this.#answered();
      if (!this.#stream) this.#enter('answer');
    }
  };

  readonly #expirePhase = (): void => this.#expire(this.#phase, this.#limit(this.#phase));

  #expire(phase: string, ms: number): void {
    this.#abort(new ProviderError({ kind: 'timeout', message: `the upstream ${phase} took longer than ${ms} ms`, local: !this.#sent }));
  }

  #limit(phase: Phase): number {
    if (phase === 'gap between events') return this.#timeouts.idleMs;
    return phase === 'answer' ? 0 : this.#timeouts.firstTokenMs;
  }

  #answered(): void {
    if (this.#connecting === undefined) return;
    clearTimeout(this.#connecting);
    this.#connecting = undefined;
  }

  #enter(next: Phase): void {
    if (next === this.#phase) {
      if (next === 'gap between events') this.#timer?.refresh();
      return;
    }
    this.#phase = next;
    clearTimeout(this.#timer);
    this.#timer = this.#limit(next) > 0 ? setTimeout(this.#expirePhase, this.#limit(next)) : undefined;
  }

  #close(completed: boolean): void {
    this.#closed = true;
    clearTimeout(this.#total);
    clearTimeout(this.#timer);
    this.#answered();
    this.#parent.removeEventListener('abort', this.#abortFromParent);
    // Only an attempt left unfinished is aborted: a completed one keeps its connection for reuse.
    if (!completed) {
      if (!this.#cancellation.aborted) this.#cancellation.abort(new ProviderError({ kind: 'cancelled', message: 'attempt abandoned' }));
      void this.#iterator?.return?.();
    }
  }
}
