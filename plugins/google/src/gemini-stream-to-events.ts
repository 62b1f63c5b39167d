import { convertSseBody, isRecord, ProviderError, type StreamEvent } from '@nachos/plugin-sdk';
import { GeminiEventBuilder, type GeminiConversionOptions } from './gemini-event-builder.js';
import { GOOGLE_PLUGIN_ID } from './google-plugin-id.js';

/**
 * Converts a `streamGenerateContent?alt=sse` body into canonical events (see `GeminiEventBuilder`), in
 * one iterator from the bytes on (see `convertSseBody`). Gemini frames events with CRLF and sends no
 * end marker; the SDK's SSE decoder handles both.
 */
export function convertGeminiStream(body: AsyncIterable<Uint8Array>, options: GeminiConversionOptions): AsyncIterableIterator<StreamEvent> {
  const builder = new GeminiEventBuilder(options);
  return convertSseBody(body, {
    accept: (event) => builder.accept(parseChunk(event.data)),
    end: () => builder.end(),
  });
}

/**
 * Converts a whole JSON body into the same events: a `generateContent` response, or the JSON array
 * that `streamGenerateContent` sends when it ignores `alt=sse` (and in which it wraps some errors).
 */
export function convertGeminiResponse(body: unknown, options: GeminiConversionOptions): StreamEvent[] {
  const builder = new GeminiEventBuilder(options);
  const chunks = Array.isArray(body) ? (body as unknown[]) : [body];
  return [...chunks.flatMap((chunk) => builder.accept(chunk)), ...builder.end()];
}

function parseChunk(data: string): Record<string, unknown> {
  let chunk: unknown;
  try {
    chunk = JSON.parse(data);
  } catch (error) {
    throw new ProviderError({
      kind: 'internal',
      message: 'upstream sent a stream chunk that is not JSON',
      providerId: GOOGLE_PLUGIN_ID,
      cause: error,
    });
  }
  if (!isRecord(chunk)) {
    throw new ProviderError({ kind: 'internal', message: 'upstream sent a stream chunk that is not an object', providerId: GOOGLE_PLUGIN_ID });
  }
  return chunk;
}
