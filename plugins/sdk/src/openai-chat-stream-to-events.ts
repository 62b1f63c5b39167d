import { OpenAIChatEventBuilder, type OpenAIChatConversionOptions } from './openai-chat-event-builder.js';
import { OPENAI_STREAM_DONE, OpenAIChatChunkReader } from './read-openai-chat-chunks.js';
import { SseDecoder } from './sse-decoder.js';
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
 * Converts an OpenAI-style SSE body straight into canonical events in one loop: bytes to SSE events
 * to chunk objects to canonical events, with no generator between the socket and the caller. Same
 * rules as `convertOpenAIChatStream(readOpenAIChatChunks(parseSseStream(body)))`, less per token.
 */
export async function* convertOpenAIChatSse(body: AsyncIterable<Uint8Array>, options: OpenAIChatConversionOptions): AsyncGenerator<StreamEvent> {
  const decoder = new SseDecoder();
  const reader = new OpenAIChatChunkReader(options);
  const builder = new OpenAIChatEventBuilder(options);
  let done = false;
  read: for await (const chunk of body) {
    for (const event of decoder.push(chunk)) {
      const payload = reader.accept(event);
      if (payload === OPENAI_STREAM_DONE) {
        done = true;
        break read;
      }
      yield* builder.accept(payload);
    }
  }
  if (!done) {
    for (const event of decoder.end()) {
      const payload = reader.accept(event);
      if (payload === OPENAI_STREAM_DONE) {
        done = true;
        break;
      }
      yield* builder.accept(payload);
    }
    if (!done) reader.end();
  }
  yield* builder.end();
}

/**
 * Converts a non-streaming `chat.completion` body into the same events a stream would have produced,
 * so that the gateway aggregates both the same way.
 */
export function convertOpenAIChatResponse(response: unknown, options: OpenAIChatConversionOptions): StreamEvent[] {
  const builder = new OpenAIChatEventBuilder(options);
  return [...builder.accept(response), ...builder.end()];
}
