/**
 * Ways to cut a recorded body into network chunks. Real upstreams split events, lines and even
 * multi-byte characters anywhere; parsers are only trustworthy once they survive every cut.
 */

/** Cuts `bytes` at the given offsets (ascending, within the array). */
export function splitAt(bytes: Uint8Array, offsets: readonly number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const offset of offsets) {
    chunks.push(bytes.subarray(start, offset));
    start = offset;
  }
  chunks.push(bytes.subarray(start));
  return chunks;
}

/**
 * `count` distinct ascending cut offsets in `1 … length-1`, drawn from a seeded generator so that a
 * failing split can be reproduced from its seed.
 */
export function randomOffsets(length: number, count: number, seed: number): number[] {
  const next = mulberry32(seed);
  const offsets = new Set<number>();
  const wanted = Math.min(count, Math.max(0, length - 1));
  while (offsets.size < wanted) {
    offsets.add(1 + Math.floor(next() * (length - 1)));
  }
  return [...offsets].sort((left, right) => left - right);
}

/** The chunks as a WHATWG stream, the shape `fetch` hands a plugin. */
export function toByteStream(chunks: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  let position = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[position];
      position += 1;
      if (chunk === undefined) {
        controller.close();
      } else {
        controller.enqueue(chunk);
      }
    },
  });
}

/** The chunks as a plain async iterable, the shape a Node stream has. */
export async function* toAsyncChunks(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) {
    yield chunk;
  }
}

/** A small, fast, seedable PRNG; quality is irrelevant, reproducibility is the point. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}
