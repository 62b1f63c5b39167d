import { ProviderError, type StreamEvent } from '@nachos/plugin-sdk';

/** Event batches llm-proxy may send a call before it waits for credit: what the gateway buffers per call. */
export const INITIAL_CREDIT = 16;
/** Credit goes back in chunks, so a fast stream costs one small frame per this many batches. */
const GRANT_EVERY = INITIAL_CREDIT / 2;

/** The stream a chat runs on, as the chat sees it. */
export interface MuxChatHost {
  credit(callId: number, batches: number): void;
  cancel(callId: number): void;
}

/**
 * One chat's end of a `Mux` stream in the gateway: the batches llm-proxy sent, in order, and how the call
 * ended. Credit goes back only as the consumer takes batches, and the consumer (the chat exchange) takes
 * the next one only once its client's socket has drained, so a client that stops reading stops its own
 * call in llm-proxy and never anyone else's. The call ends exactly once: status, cancel, deadline or a
 * lost stream, whichever comes first.
 */
export class MuxChat {
  retried = false;
  /**
   * The encoded `MuxOpen`: for the stream the call starts on and, while it has received nothing, a retry on
   * another. It is let go with the first events, after which no retry can happen: it holds the whole
   * prompt, which every open stream would otherwise keep for as long as its answer lasts.
   */
  #open: Uint8Array | undefined;
  #host: MuxChatHost | undefined;
  #id = 0;
  readonly #queue: StreamEvent[][] = [];
  #ended: { error: Error | undefined } | undefined;
  #wake: (() => void) | undefined;
  #sinceGrant = 0;

  constructor(open: Uint8Array) {
    this.#open = open;
  }

  /** The encoded `MuxOpen` while the call has received nothing; undefined after. */
  get open(): Uint8Array | undefined {
    return this.#open;
  }

  /** Whether any events arrived: a call that has shown its client nothing may be retried elsewhere. */
  get received(): boolean {
    return this.#open === undefined;
  }

  get ended(): boolean {
    return this.#ended !== undefined;
  }

  attach(host: MuxChatHost, id: number): void {
    this.#host = host;
    this.#id = id;
  }

  deliver(events: StreamEvent[]): void {
    this.#open = undefined;
    this.#queue.push(events);
    this.#signal();
  }

  /** Ends the call with success (no error) or a failure; later endings are ignored. */
  finish(error?: Error): void {
    if (this.#ended) return;
    this.#ended = { error };
    this.#signal();
  }

  /** Ends the call from this side: llm-proxy is told to stop, the consumer sees `reason`. */
  cancel(reason: Error): void {
    if (this.#ended) return;
    this.#host?.cancel(this.#id);
    this.finish(reason);
  }

  /**
   * The next batch if one has arrived, else undefined: then the call has ended (see `ended` and `failure`)
   * or `whenArrived()` says when to look again. Taking a batch is what earns llm-proxy its credit back.
   */
  take(): StreamEvent[] | undefined {
    const batch = this.#queue.shift();
    if (batch === undefined) return undefined;
    this.#sinceGrant += 1;
    if (this.#sinceGrant >= GRANT_EVERY && !this.#ended) {
      this.#host?.credit(this.#id, this.#sinceGrant);
      this.#sinceGrant = 0;
    }
    return batch;
  }

  /** How the call failed, once it has; undefined while it runs and after success. */
  get failure(): Error | undefined {
    return this.#ended?.error;
  }

  /** Calls `wake` once, when the next batch arrives or the call ends (a later call replaces it). */
  whenArrived(wake: () => void): void {
    this.#wake = wake;
  }

  #signal(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}

export const CANCELLED = new ProviderError({ kind: 'cancelled', message: 'The call to llm-proxy was cancelled.' });
