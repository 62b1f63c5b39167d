/**
 * What a response body may arrive as: a WHATWG `ReadableStream` (what `fetch` returns) or any async
 * iterable of byte chunks (a Node stream, a test fixture split into pieces).
 */
export type ByteSource = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

/**
 * Iterates the chunks of a byte source. When the consumer stops early (a `break`, an exception, an
 * abort), the underlying stream is cancelled so that the upstream connection closes instead of
 * buffering a response nobody reads.
 */
export async function* iterateByteChunks(source: ByteSource): AsyncGenerator<Uint8Array> {
  if (!isReadableStream(source)) {
    yield* source;
    return;
  }
  const reader = source.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield value;
    }
  } finally {
    if (!finished) {
      await reader.cancel().catch(() => undefined);
    }
    reader.releaseLock();
  }
}

function isReadableStream(source: ByteSource): source is ReadableStream<Uint8Array> {
  return typeof (source as ReadableStream<Uint8Array>).getReader === 'function';
}

/** The chunks of a byte source, without a wrapper when it already is an async iterable (no extra hop per chunk). */
export function byteChunksOf(source: ByteSource): AsyncIterable<Uint8Array> {
  return isReadableStream(source) ? iterateByteChunks(source) : source;
}
