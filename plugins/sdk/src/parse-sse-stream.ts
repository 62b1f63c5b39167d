import { type ByteSource, byteChunksOf } from './byte-source.js';
import { SseDecoder } from './sse-decoder.js';

/** One dispatched server-sent event. */
export interface ServerSentEvent {
  /** The `event:` field; absent for the default `message` type (OpenAI and Gemini send none). */
  event?: string;
  /** The `data:` lines of the event joined with `\n`. */
  data: string;
  /** The `id:` field, when this event carried one. */
  id?: string;
}

/**
 * Parses a `text/event-stream` body into events, following the WHATWG rules that matter for LLM
 * providers: `\n`, `\r\n` and `\r` line ends (so `\n\n`, `\r\n\r\n` and `\r\r` separate events),
 * several `data:` lines per event, `:` comment lines, one optional space after the colon, a UTF-8 BOM,
 * and network chunks that split lines or multi-byte characters anywhere.
 *
 * Unlike a browser's EventSource, a last event that lacks its closing blank line is still delivered:
 * some upstreams close the connection right after their final `data:` line.
 *
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 */
export async function* parseSseStream(source: ByteSource): AsyncGenerator<ServerSentEvent> {
  const decoder = new SseDecoder();
  for await (const chunk of byteChunksOf(source)) {
    yield* decoder.push(chunk);
  }
  yield* decoder.end();
}
