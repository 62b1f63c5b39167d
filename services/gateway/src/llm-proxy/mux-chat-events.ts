import type { StreamEvent } from '@nachos/plugin-sdk';
import { CANCELLED, type MuxChat } from './mux-chat.js';
import { MuxPool } from './mux-pool.js';

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };
const NO_EVENTS: readonly StreamEvent[] = [];

/** A chat's events; an event already received can be taken at once, without a promise or a turn of the loop. */
export interface ChatEvents extends AsyncIterableIterator<StreamEvent> {
  /** The next event if it has arrived, else undefined (then `next()` waits for it or says the chat ended). */
  takeReceived?(): StreamEvent | undefined;
}

/** How a chat's call is run, given to {@link MuxChatEvents} by the client that made it. */
export interface MuxChatRun {
  /**
   * Opens the call on a stream, with its cancel and deadline: the call and what releases those, or nothing
   * when llm-proxy is known to predate `Mux`.
   */
  start(): { chat: MuxChat; release: () => void } | undefined;
  /** The events of the same chat as one gRPC call of its own, for an llm-proxy that predates `Mux`. */
  perCall(): AsyncIterator<StreamEvent>;
}

/**
 * A chat's events as the chat exchange pulls them, straight from the batches its {@link MuxChat} holds: an
 * event already received is handed over in one resolved promise, and only an empty queue waits on the call,
 * in one promise settled when a batch arrives. There is neither an async generator nor an async function
 * between the `Mux` stream and the exchange, which cost a resumption, a frame and their promises per batch.
 * It behaves as that generator did: nothing starts before the first pull, the call's failure is thrown once
 * its events are taken, a consumer that returns early cancels the call, and a call that finds no `Mux`
 * method in llm-proxy goes on as one gRPC call of its own.
 */
export class MuxChatEvents implements ChatEvents {
  /**
   * Let go once the chat has received a batch: it will not move to a call of its own after that, and the run's
   * closures hold the request, whose prompt would otherwise live as long as the stream.
   */
  #run: MuxChatRun | undefined;
  #started = false;
  #chat: MuxChat | undefined;
  #batch: readonly StreamEvent[] = NO_EVENTS;
  #index = 0;
  #release: (() => void) | undefined;
  #perCall: AsyncIterator<StreamEvent> | undefined;
  #finished = false;
  /** Settles the consumer's wait for a batch: filled by an executor made once, called on the arrival. */
  #resolve: ((result: IteratorResult<StreamEvent> | Promise<IteratorResult<StreamEvent>>) => void) | undefined;

  constructor(run: MuxChatRun) {
    this.#run = run;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<StreamEvent>> {
    if (this.#index < this.#batch.length) return Promise.resolve({ done: false, value: this.#batch[this.#index++]! });
    if (this.#finished) return Promise.resolve(DONE);
    if (this.#perCall) return this.#fromPerCall();
    try {
      if (!this.#started && !this.#start()) return this.#fromPerCall();
      const result = this.#fromChat(this.#chat!);
      return result instanceof Promise ? result : Promise.resolve(result);
    } catch (error) {
      return this.#failed(error);
    }
  }

  takeReceived(): StreamEvent | undefined {
    return this.#index < this.#batch.length ? this.#batch[this.#index++] : undefined;
  }

  /** Ends the call early, as a consumer that stops reading does: llm-proxy is told to stop. */
  async return(): Promise<IteratorResult<StreamEvent>> {
    if (this.#started && !this.#finished) {
      try {
        await this.#perCall?.return?.();
      } finally {
        this.#finish();
      }
    }
    this.#finished = true;
    return DONE;
  }

  /** Opens the call; false when it runs as a call of its own instead (an llm-proxy that predates `Mux`). */
  #start(): boolean {
    this.#started = true;
    const started = this.#run!.start();
    if (!started) {
      this.#perCall = this.#run!.perCall();
      return false;
    }
    ({ chat: this.#chat, release: this.#release } = started);
    return true;
  }

  /**
   * The next event of the chat: at once if a batch is here, else a promise settled when one arrives or the
   * call ends. Throws the call's failure, after every batch before it.
   */
  #fromChat(chat: MuxChat): IteratorResult<StreamEvent> | Promise<IteratorResult<StreamEvent>> {
    for (;;) {
      const batch = chat.take();
      if (batch !== undefined) {
        if (batch.length === 0) continue;
        this.#run = undefined;
        this.#batch = batch;
        this.#index = 1;
        return { done: false, value: batch[0]! };
      }
      if (!chat.ended) {
        // The batch is all taken: let it go before a wait that may last as long as the gap between two tokens,
        // which its events and their text would otherwise outlive every scavenge of (to the old generation).
        this.#batch = NO_EVENTS;
        chat.whenArrived(this.#arrived);
        return new Promise(this.#wait);
      }
      const failure = chat.failure;
      if (failure) throw failure;
      this.#finish();
      return DONE;
    }
  }

  readonly #wait = (resolve: (result: IteratorResult<StreamEvent> | Promise<IteratorResult<StreamEvent>>) => void): void => {
    this.#resolve = resolve;
  };

  readonly #arrived = (): void => {
    const resolve = this.#resolve;
    this.#resolve = undefined;
    if (resolve === undefined) return;
    try {
      resolve(this.#fromChat(this.#chat!));
    } catch (error) {
      resolve(this.#failed(error));
    }
  };

  /**
   * What a failure to start or of the call becomes: a call that found no `Mux` method goes on as a call of
   * its own (only one that has received nothing: llm-proxy answered it on `Mux` otherwise), and its events come
   * from there; any other failure ends the call and is what the pull rejects with.
   */
  #failed(error: unknown): Promise<IteratorResult<StreamEvent>> {
    const run = this.#run;
    if (error !== MuxPool.FALLBACK || run === undefined) {
      this.#finish();
      return Promise.reject(error);
    }
    this.#perCall = run.perCall();
    return this.#fromPerCall();
  }

  async #fromPerCall(): Promise<IteratorResult<StreamEvent>> {
    try {
      const result = await this.#perCall!.next();
      if (!result.done) return result;
    } catch (error) {
      this.#finish();
      throw error;
    }
    this.#finish();
    return DONE;
  }

  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#batch = NO_EVENTS;
    this.#release?.();
    this.#chat?.cancel(CANCELLED);
  }
}
