import { type ByteSource, iterateByteChunks } from './byte-source.js';
import { LineSplitter } from './line-splitter.js';
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
  const decoder = new TextDecoder('utf-8');
  const splitter = new LineSplitter();
  for await (const chunk of iterateByteChunks(source)) {
    for (const line of splitter.push(decoder.decode(chunk, { stream: true }))) {
      const value = parseLine(line);
      if (value !== SKIP) {
        yield value;
      }
    }
  }
  for (const line of [...splitter.push(decoder.decode()), ...splitter.end()]) {
    const value = parseLine(line);
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
