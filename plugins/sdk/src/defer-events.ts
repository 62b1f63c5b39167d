import type { StreamEvent } from './stream-event.js';

const DONE: IteratorResult<StreamEvent> = { done: true, value: undefined };

/**
 * A plugin's `chat` events when they can only begin after an upstream call: `open` runs on the first
 * pull (as an `async *chat` generator's body would) and gives the events, a stream or an array; from
 * then on each pull goes straight to them, with no `yield*` hop per event. A `return()` waits for a
 * pull under way and then closes the events, as a generator's would.
 */
export function deferEvents(open: () => Promise<AsyncIterable<StreamEvent> | Iterable<StreamEvent>>): AsyncIterableIterator<StreamEvent> {
  return new DeferredEvents(open);
}

class DeferredEvents implements AsyncIterableIterator<StreamEvent> {
  #open: (() => Promise<AsyncIterable<StreamEvent> | Iterable<StreamEvent>>) | undefined;
  #events: AsyncIterator<StreamEvent> | Iterator<StreamEvent> | undefined;
  #pulling: Promise<IteratorResult<StreamEvent>> | undefined;
  #done = false;

  constructor(open: () => Promise<AsyncIterable<StreamEvent> | Iterable<StreamEvent>>) {
    this.#open = open;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<StreamEvent> {
    return this;
  }

  next(): Promise<IteratorResult<StreamEvent>> {
    if (this.#done) return Promise.resolve(DONE);
    const events = this.#events;
    if (events === undefined) return (this.#pulling = this.#start());
    return (this.#pulling = Promise.resolve(events.next()));
  }

  async return(): Promise<IteratorResult<StreamEvent>> {
    await this.#pulling?.catch(() => undefined);
    this.#open = undefined;
    if (!this.#done) {
      this.#done = true;
      await this.#events?.return?.();
    }
    return DONE;
  }

  async #start(): Promise<IteratorResult<StreamEvent>> {
    const open = this.#open;
    this.#open = undefined;
    if (open === undefined) return DONE;
    try {
      const events = await open();
      this.#events = Symbol.asyncIterator in events ? events[Symbol.asyncIterator]() : events[Symbol.iterator]();
    } catch (error) {
      this.#done = true;
      throw error;
    }
    return this.next();
  }
}
