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
    return (this.#pulling = this.#pull());
  }

  async return(): Promise<IteratorResult<StreamEvent>> {
    await this.#pulling?.catch(() => undefined);
    if (this.#state === 'reading') await this.#closeBody();
    this.#state = 'done';
    return DONE;
  }

  async #pull(): Promise<IteratorResult<StreamEvent>> {
    for (;;) {
      if (this.#nextReady < this.#ready.length) return { done: false, value: this.#ready[this.#nextReady++]! };
      if (this.#state === 'done') return DONE;
      if (this.#nextEvent < this.#events.length) {
        const closing = this.#convert(this.#events[this.#nextEvent++]!);
        if (closing !== undefined) await closing;
        continue;
      }
      if (this.#state === 'ended') {
        this.#state = 'done';
        this.#take(this.#converter.end(false));
        continue;
      }
      let chunk: IteratorResult<Uint8Array>;
      try {
        chunk = await this.#body.next();
      } catch (error) {
        this.#state = 'done';
        throw error;
      }
      this.#nextEvent = 0;
      if (chunk.done === true) {
        this.#state = 'ended';
        this.#events = this.#decoder.end();
      } else this.#events = this.#decoder.push(chunk.value);
    }
  }

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
