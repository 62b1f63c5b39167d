import { respondWithStream } from './respond.js';
import type { FakeUpstreamHandler } from './start-fake-upstream.js';

/** A recorded upstream answer: the body exactly as the provider sent it, and its content type. */
export interface RecordedFixture {
  /** Shown in test names. */
  name: string;
  body: string | Uint8Array;
  /** `text/event-stream` unless said otherwise (`application/x-ndjson` for Ollama). */
  contentType?: string;
}

/**
 * A fake-upstream handler that answers every request with a recorded body, cut into small chunks
 * so that the plugin meets boundaries inside events, as it would on a real network.
 */
export function replayFixture(fixture: RecordedFixture, chunkSize = 61): FakeUpstreamHandler {
  return (_request, response) =>
    respondWithStream(response, fixture.body, {
      chunkSize,
      ...(fixture.contentType === undefined ? {} : { contentType: fixture.contentType }),
    });
}

/**
 * The first event (SSE), line (NDJSON) or frame (AWS eventstream, cut by its length prefix, since
 * binary frames do not survive a trip through text) of a recording: what a stalled upstream sends
 * before it hangs, so that the plugin has started its stream when the abort comes.
 */
export function firstFrameOf(fixture: RecordedFixture): string | Uint8Array {
  if (fixture.contentType?.includes('vnd.amazon.eventstream') === true && typeof fixture.body !== 'string') {
    const bytes = fixture.body;
    const length = bytes.byteLength < 4 ? bytes.byteLength : new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, false);
    return bytes.subarray(0, Math.min(length, bytes.byteLength));
  }
  const text = typeof fixture.body === 'string' ? fixture.body : Buffer.from(fixture.body).toString('utf8');
  const ends = ['\r\n\r\n', '\n\n', '\r\r', ...(fixture.contentType?.includes('ndjson') === true ? ['\n'] : [])]
    .map((separator) => {
      const at = text.indexOf(separator);
      return at === -1 ? Number.POSITIVE_INFINITY : at + separator.length;
    });
  const end = Math.min(...ends);
  return Number.isFinite(end) ? text.slice(0, end) : text;
}
