import type { ServerSentEvent } from './parse-sse-stream.js';
import { SseDecoder } from './sse-decoder.js';
import type { StreamEvent } from './stream-event.js';

/** A provider's rules for turning its server-sent events into canonical events. */
export interface SseEventConverter {
  /** The events one server-sent event gives, or `undefined` for the stream's end marker (`[DONE]`): nothing after it is read. */
  accept(event: ServerSentEvent): readonly StreamEvent[] | undefined;
  /** The events that close the stream; `marked` says whether its end marker came (one that ends without may have been cut off). */
  end(marked: boolean): readonly StreamEvent[];
}

const DONE: IteratorResult<StreamEvent> = { done: true, value: undefined };
const NONE: readonly never[] = [];

/**
 * Converts a `text/event-stream` body into canonical events in one iterator: bytes to server-sent
 * events to canonical events, with no generator between the socket and the caller. It behaves as the
 * generator `for await (chunk of body) for (event of decoder.push(chunk)) yield* converter.accept(event)`
 * would: server-sent events are converted one at a time as the caller pulls, a failure comes after the
 * events that preceded it, and the body is closed (its `return()`) when the caller stops early, when
 * the end marker comes, or when converting fails, but not after it ended or failed by itself.
 */
export function convertSseBody(body: AsyncIterable<Uint8Array>, converter: SseEventConverter): AsyncIterableIterator<StreamEvent> {
  return new SseBodyEvents(body[Symbol.asyncIterator](), converter);
}

class SseBodyEvents implements AsyncIterableIterator<StreamEvent> {
  readonly #body: AsyncIterator<Uint8Array>;
  readonly #converter: SseEventConverter;
  readonly #decoder = new SseDecoder();
  /** `reading` the body; `ended`: it ended by itself (its last events may still wait); `done`: nothing more comes. */
  #state: 'reading' | 'ended' | 'done' = 'reading';
  #events: readonly ServerSentEvent[] = NONE;
  #nextEvent = 0;
  #ready: readonly StreamEvent[] = NONE;
  #nextReady = 0;
  /** The pull under way: a `return()` waits for it, as a generator's would. */
  #pulling: Promise<IteratorResult<StreamEvent>> | undefined;

  constructor(body: AsyncIterator<Uint8Array>, converter: SseEventConverter) {
    this.#body = body;
    this.#converter = converter;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<StreamEvent> {
    return this;
  }

  next(): Promise<IteratorResult<StreamEvent>> {
    let result: IteratorResult<StreamEvent> | Promise<IteratorResult<StreamEvent>>;
    try {
      result = this.#advance();
    } catch (error) {
      result = Promise.reject(error);
    }
    return (this.#pulling = result instanceof Promise ? result : Promise.resolve(result));
  }

  async return(): Promise<IteratorResult<StreamEvent>> {
    await this.#pulling?.catch(() => undefined);
    if (this.#state === 'reading') await this.#closeBody();
    this.#state = 'done';
    return DONE;
  }

  /**
   * Runs until an event is ready, synchronously, or until the body must be waited for: then the wait is
   * the one promise, continued by handlers made once per stream rather than an async function's frame
   * kept across the gap between tokens.
   */
  #advance(): IteratorResult<StreamEvent> | Promise<IteratorResult<StreamEvent>> {
    for (;;) {
      if (this.#nextReady < this.#ready.length) return { done: false, value: this.#ready[this.#nextReady++]! };
      if (this.#state === 'done') return DONE;
      if (this.#nextEvent < this.#events.length) {
        const closing = this.#convert(this.#events[this.#nextEvent++]!);
        if (closing !== undefined) return closing.then(this.#resume);
        continue;
      }
      if (this.#state === 'ended') {
        this.#state = 'done';
        this.#take(this.#converter.end(false));
        continue;
      }
      // What was read so far is all taken: let it go before the wait for the body, which may last as long as
      // the gap between two tokens. Kept, the last chunk's events and their text outlived every scavenge in
      // that gap and went to the old generation, once per token of every slow stream.
      this.#events = NONE;
      this.#ready = NONE;
      return this.#body.next().then(this.#onChunk, this.#onBodyError);
    }
  }

  readonly #resume = (): IteratorResult<StreamEvent> | Promise<IteratorResult<StreamEvent>> => this.#advance();

  readonly #onChunk = (chunk: IteratorResult<Uint8Array>): IteratorResult<StreamEvent> | Promise<IteratorResult<StreamEvent>> => {
    this.#nextEvent = 0;
    if (chunk.done === true) {
      this.#state = 'ended';
      this.#events = this.#decoder.end();
    } else this.#events = this.#decoder.push(chunk.value);
    return this.#advance();
  };

  readonly #onBodyError = (error: unknown): never => {
    this.#state = 'done';
    throw error;
  };

  /** Converts one server-sent event; a promise only when the body must be closed first (its end marker, a failure). */
  #convert(event: ServerSentEvent): Promise<void> | undefined {
    let events: readonly StreamEvent[] | undefined;
    try {
      events = this.#converter.accept(event);
    } catch (error) {
      return this.#stop(() => {
        throw error;
      });
    }
    if (events === undefined) return this.#stop(() => this.#take(this.#converter.end(true)));
    this.#take(events);
    return undefined;
  }

  /** Nothing more is read: a body still open is closed, then `then` runs. */
  #stop(then: () => void): Promise<void> | undefined {
    if (this.#state === 'reading') return this.#closeBody().then(then);
    this.#state = 'done';
    then();
    return undefined;
  }

  #take(events: readonly StreamEvent[]): void {
    this.#ready = events;
    this.#nextReady = 0;
  }

  async #closeBody(): Promise<void> {
    this.#state = 'done';
    await this.#body.return?.();
  }
}
