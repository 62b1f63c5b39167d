import type { OpenAIChatChunkConverter } from './openai-chat-choices-event-builder.js';
import { OpenAIChatEventBuilder, type OpenAIChatConversionOptions } from './openai-chat-event-builder.js';
import { OPENAI_STREAM_DONE, OpenAIChatChunkReader } from './read-openai-chat-chunks.js';
import { convertSseBody } from './convert-sse-body.js';
import type { StreamEvent } from './stream-event.js';

/**
 * Converts a stream of OpenAI-style chunk objects (see `readOpenAIChatChunks`) into canonical events
 * that follow the stream grammar: one `start`, content, balanced tool calls, exactly one `finish`
 * even if the upstream never sent a finish reason, and usage wherever it came.
 */
export async function* convertOpenAIChatStream(
  chunks: AsyncIterable<unknown>,
  options: OpenAIChatConversionOptions,
): AsyncGenerator<StreamEvent> {
  const builder = new OpenAIChatEventBuilder(options);
  for await (const chunk of chunks) {
    yield* builder.accept(chunk);
  }
  yield* builder.end();
}

/**
 * Converts an OpenAI-style SSE body straight into canonical events in one iterator: bytes to SSE events
 * to chunk objects to canonical events, with no generator between the socket and the caller. Same
 * rules as `convertOpenAIChatStream(readOpenAIChatChunks(parseSseStream(body)))`, less per token.
 * An answer with several choices is read by an `OpenAIChatChoicesEventBuilder` given as `builder`.
 */
export function convertOpenAIChatSse(
  body: AsyncIterable<Uint8Array>,
  options: OpenAIChatConversionOptions,
  builder: OpenAIChatChunkConverter = new OpenAIChatEventBuilder(options),
): AsyncIterableIterator<StreamEvent> {
  const reader = new OpenAIChatChunkReader(options);
  return convertSseBody(body, {
    accept(event) {
      const payload = reader.accept(event);
      return payload === OPENAI_STREAM_DONE ? undefined : builder.accept(payload);
    },
    end(marked) {
      if (!marked) reader.end();
      return builder.end();
    },
  });
}

/**
 * Converts a non-streaming `chat.completion` body into the same events a stream would have produced,
 * so that the gateway aggregates both the same way (several choices: see `convertOpenAIChatSse`).
 */
export function convertOpenAIChatResponse(
  response: unknown,
  options: OpenAIChatConversionOptions,
  builder: OpenAIChatChunkConverter = new OpenAIChatEventBuilder(options),
): StreamEvent[] {
  return [...builder.accept(response), ...builder.end()];
}
