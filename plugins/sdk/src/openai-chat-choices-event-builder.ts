import { createInBandProviderError } from './create-in-band-provider-error.js';
import { isRecord } from './is-record.js';
import { OpenAIChatEventBuilder, type OpenAIChatConversionOptions } from './openai-chat-event-builder.js';
import type { StreamEvent } from './stream-event.js';

/** What turns OpenAI-style chunks into canonical events: one choice, or several. */
export interface OpenAIChatChunkConverter {
  accept(chunk: unknown): StreamEvent[];
  end(): StreamEvent[];
}

/**
 * Chunks of an answer with several choices (`n`) → canonical events. Each choice is read by its own
 * `OpenAIChatEventBuilder` (so it has its own tool calls and its own `finish`, with the same tolerance
 * of host quirks); a `choice` event comes before the events of a choice other than the one before;
 * one `start` leads and usage passes as it comes.
 */
export class OpenAIChatChoicesEventBuilder implements OpenAIChatChunkConverter {
  readonly #options: OpenAIChatConversionOptions;
  readonly #builders = new Map<number, OpenAIChatEventBuilder>();
  #current = 0;
  #started = false;

  constructor(options: OpenAIChatConversionOptions) {
    this.#options = options;
  }

  accept(chunk: unknown): StreamEvent[] {
    if (!isRecord(chunk)) return this.#builder(0).accept(chunk);
    if (chunk['error'] !== undefined && chunk['error'] !== null) throw createInBandProviderError(chunk, this.#options);
    const { id, model } = chunk;
    const events: StreamEvent[] = [];
    for (const choice of Array.isArray(chunk['choices']) ? (chunk['choices'] as unknown[]) : []) {
      if (!isRecord(choice)) continue;
      const index = typeof choice['index'] === 'number' ? choice['index'] : 0;
      this.#take(index, this.#builder(index).accept({ id, model, choices: [{ ...choice, index: 0 }] }), events);
    }
    if (chunk['usage'] !== undefined && chunk['usage'] !== null) {
      // Usage belongs to no choice; choice 0's reader makes the start if nothing came before it.
      this.#take(this.#current, this.#builder(0).accept({ id, model, usage: chunk['usage'] }), events);
    }
    return events;
  }

  end(): StreamEvent[] {
    if (this.#builders.size === 0) return this.#builder(0).end();
    const events: StreamEvent[] = [];
    for (const index of [...this.#builders.keys()].sort((a, b) => a - b)) this.#take(index, this.#builder(index).end(), events);
    return events;
  }

  #builder(index: number): OpenAIChatEventBuilder {
    let builder = this.#builders.get(index);
    if (builder === undefined) {
      builder = new OpenAIChatEventBuilder(this.#options);
      this.#builders.set(index, builder);
    }
    return builder;
  }

  /** One choice's events: its reader's start only if none led yet, a `choice` event when the choice changes. */
  #take(index: number, produced: StreamEvent[], events: StreamEvent[]): void {
    for (const event of produced) {
      if (event.type === 'start') {
        if (this.#started) continue;
        this.#started = true;
      } else if (event.type !== 'usage' && index !== this.#current) {
        this.#current = index;
        events.push({ type: 'choice', index });
      }
      events.push(event);
    }
  }
}
