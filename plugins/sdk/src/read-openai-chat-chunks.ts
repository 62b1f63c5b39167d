import { createInBandProviderError } from './create-in-band-provider-error.js';
import type { ServerSentEvent } from './parse-sse-stream.js';
import { ProviderError } from './provider-error.js';
import type { UpstreamErrorOptions } from './read-upstream-error.js';

/**
 * Reads the JSON payloads of an OpenAI-style SSE stream: stops at `data: [DONE]` (anything after it
 * is ignored, as the OpenAI SDK does), throws an `event: error` as a `ProviderError`, and fails with
 * kind `internal` on a payload that is not JSON.
 */
export async function* readOpenAIChatChunks(
  events: AsyncIterable<ServerSentEvent>,
  options: UpstreamErrorOptions = {},
): AsyncGenerator<unknown> {
  for await (const event of events) {
    if (event.data === '[DONE]') {
      return;
    }
    let payload: unknown;
    try {
      payload = JSON.parse(event.data) as unknown;
    } catch (error) {
      throw new ProviderError({
        kind: 'internal',
        message: 'upstream sent a stream event that is not JSON',
        providerId: options.providerId,
        cause: error,
      });
    }
    if (event.event === 'error') {
      throw createInBandProviderError(payload, options);
    }
    yield payload;
  }
}
