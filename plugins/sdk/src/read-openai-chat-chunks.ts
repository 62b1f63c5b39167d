import { createInBandProviderError } from './create-in-band-provider-error.js';
import type { ServerSentEvent } from './parse-sse-stream.js';
import { ProviderError } from './provider-error.js';
import type { UpstreamErrorOptions } from './read-upstream-error.js';

/** What {@link OpenAIChatChunkReader.accept} returns for `data: [DONE]`. */
export const OPENAI_STREAM_DONE = Symbol('[DONE]');

/**
 * The rules of an OpenAI-style SSE stream, one event at a time: `data: [DONE]` ends it (anything
 * after it is ignored, as the OpenAI SDK does), an `event: error` is thrown as a `ProviderError`, a
 * payload that is not JSON fails with kind `internal`. A stream that closes with neither `[DONE]` nor
 * a finish reason was cut off: {@link OpenAIChatChunkReader.end} fails it as `unavailable` rather than
 * let it pass for a complete answer; hosts that omit `[DONE]` still end cleanly once they have sent a
 * finish reason.
 */
export class OpenAIChatChunkReader {
  readonly #options: UpstreamErrorOptions;
  #sawFinishReason = false;

  constructor(options: UpstreamErrorOptions = {}) {
    this.#options = options;
  }

  /** The parsed payload of one event, or {@link OPENAI_STREAM_DONE}. */
  accept(event: ServerSentEvent): unknown {
    if (event.data === '[DONE]') {
      return OPENAI_STREAM_DONE;
    }
    let payload: unknown;
    try {
      payload = JSON.parse(event.data) as unknown;
    } catch (error) {
      throw new ProviderError({
        kind: 'internal',
        message: 'upstream sent a stream event that is not JSON',
        providerId: this.#options.providerId,
        cause: error,
      });
    }
    if (event.event === 'error') {
      throw createInBandProviderError(payload, this.#options);
    }
    if (!this.#sawFinishReason) this.#sawFinishReason = hasFinishReason(payload);
    return payload;
  }

  /** The body ended without `[DONE]`. */
  end(): void {
    if (!this.#sawFinishReason) {
      throw new ProviderError({
        kind: 'unavailable',
        message: 'upstream closed the stream before it was complete (no [DONE] and no finish reason)',
        providerId: this.#options.providerId,
      });
    }
  }
}

/** The JSON payloads of an OpenAI-style SSE stream, by the rules of {@link OpenAIChatChunkReader}. */
export async function* readOpenAIChatChunks(
  events: AsyncIterable<ServerSentEvent>,
  options: UpstreamErrorOptions = {},
): AsyncGenerator<unknown> {
  const reader = new OpenAIChatChunkReader(options);
  for await (const event of events) {
    const payload = reader.accept(event);
    if (payload === OPENAI_STREAM_DONE) {
      return;
    }
    yield payload;
  }
  reader.end();
}

function hasFinishReason(payload: unknown): boolean {
  const choices = (payload as { choices?: unknown } | null)?.choices;
  return Array.isArray(choices) && choices.some((choice) => typeof (choice as { finish_reason?: unknown } | null)?.finish_reason === 'string');
}
