import { createInBandProviderError } from './create-in-band-provider-error.js';
import type { ServerSentEvent } from './parse-sse-stream.js';
import { ProviderError } from './provider-error.js';
import type { UpstreamErrorOptions } from './read-upstream-error.js';

/**
 * Reads the JSON payloads of an OpenAI-style SSE stream: stops at `data: [DONE]` (anything after it
 * is ignored, as the OpenAI SDK does), throws an `event: error` as a `ProviderError`, and fails with
 * kind `internal` on a payload that is not JSON. A stream that closes with neither `[DONE]` nor a
 * finish reason was cut off, and fails as `unavailable` rather than passing for a complete answer;
 * hosts that omit `[DONE]` still end cleanly once they have sent a finish reason.
 */
export async function* readOpenAIChatChunks(
  events: AsyncIterable<ServerSentEvent>,
  options: UpstreamErrorOptions = {},
): AsyncGenerator<unknown> {
  let sawFinishReason = false;
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
    sawFinishReason ||= hasFinishReason(payload);
    yield payload;
  }
  if (!sawFinishReason) {
    throw new ProviderError({
      kind: 'unavailable',
      message: 'upstream closed the stream before it was complete (no [DONE] and no finish reason)',
      providerId: options.providerId,
    });
  }
}

function hasFinishReason(payload: unknown): boolean {
  const choices = (payload as { choices?: unknown } | null)?.choices;
  return Array.isArray(choices) && choices.some((choice) => typeof (choice as { finish_reason?: unknown } | null)?.finish_reason === 'string');
}
