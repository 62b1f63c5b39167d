import { ByteLineSplitter } from './byte-line-splitter.js';
import { type ByteSource, byteChunksOf } from './byte-source.js';
import { ProviderError } from './provider-error.js';

/**
 * Parses an `application/x-ndjson` body (Ollama's streams) into one JSON value per line. Blank lines
 * are skipped, CRLF is accepted, a last line without its newline is still read, and network chunks
 * may split lines or multi-byte characters anywhere.
 *
 * A line that is not JSON fails the stream with a `ProviderError` of kind `internal`: a plugin must
 * not guess at what a broken upstream meant.
 */
export async function* parseNdjsonStream(source: ByteSource): AsyncGenerator<unknown> {
  const splitter = new ByteLineSplitter();
  for await (const chunk of byteChunksOf(source)) {
    for (const line of splitter.push(chunk)) {
      const value = parseLine(line);
      if (value !== SKIP) {
        yield value;
      }
    }
  }
  const last = splitter.end();
  if (last !== undefined) {
    const value = parseLine(last);
    if (value !== SKIP) {
      yield value;
    }
  }
}

const SKIP = Symbol('blank line');

function parseLine(line: string): unknown {
  if (line.trim() === '') {
    return SKIP;
  }
  try {
    return JSON.parse(line) as unknown;
  } catch (error) {
    throw new ProviderError({
      kind: 'internal',
      message: `upstream sent a line that is not JSON: ${abbreviate(line)}`,
      cause: error,
    });
  }
}

function abbreviate(line: string): string {
  return line.length > 120 ? `${line.slice(0, 120)}…` : line;
}
