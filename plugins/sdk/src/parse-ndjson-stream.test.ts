import { readFileSync, readdirSync } from 'node:fs';
import { parseNdjsonStream } from './parse-ndjson-stream.js';
import { ProviderError } from './provider-error.js';
import { randomOffsets, splitAt, toAsyncChunks, toByteStream } from './testing/byte-chunks.js';

const fixtures = new URL('../../../test/fixtures/protocols/ollama/', import.meta.url);
const encoder = new TextEncoder();

async function parseChunks(chunks: Uint8Array[], asStream = true): Promise<unknown[]> {
  const values: unknown[] = [];
  for await (const value of parseNdjsonStream(asStream ? toByteStream(chunks) : toAsyncChunks(chunks))) {
    values.push(value);
  }
  return values;
}

function parseText(...pieces: string[]): Promise<unknown[]> {
  return parseChunks(pieces.map((piece) => encoder.encode(piece)));
}

const ndjsonFixtures = readdirSync(fixtures).filter((name) => name.endsWith('.ndjson'));

describe('parseNdjsonStream on recorded Ollama streams', () => {
  it.each(ndjsonFixtures)('%s parses the same whatever the chunk boundaries', async (name) => {
    const bytes = new Uint8Array(readFileSync(new URL(name, fixtures)));
    const expected = new TextDecoder()
      .decode(bytes)
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as unknown);
    expect(expected.length).toBeGreaterThan(1);

    expect(await parseChunks([bytes])).toEqual(expected);
    expect(await parseChunks([...bytes].map((byte) => Uint8Array.of(byte)), false)).toEqual(expected);
    for (let offset = 1; offset < bytes.length; offset += 1) {
      expect(await parseChunks(splitAt(bytes, [offset]), offset % 2 === 0)).toEqual(expected);
    }
    for (let seed = 1; seed <= 40; seed += 1) {
      expect(await parseChunks(splitAt(bytes, randomOffsets(bytes.length, 1 + (seed % 20), seed)))).toEqual(expected);
    }
  });

  it('reads the final done line of a chat stream', async () => {
    const values = await parseChunks([new Uint8Array(readFileSync(new URL('chat-stream.ndjson', fixtures)))]);
    expect(values.at(-1)).toMatchObject({ done: true, eval_count: 282 });
  });

  it('hands an in-band error line to the caller like any other value', async () => {
    const values = await parseChunks([new Uint8Array(readFileSync(new URL('generate-stream-error.ndjson', fixtures)))]);
    expect(values.at(-1)).toEqual({ error: 'an error was encountered while running the model' });
  });
});

describe('parseNdjsonStream framing rules', () => {
  it('accepts CRLF, skips blank lines and reads a last line without its newline', async () => {
    expect(await parseText('{"a":1}\r\n\r\n', '  \n{"b":', '2}\n{"c":3}')).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
  });

  it('keeps multi-byte characters intact when a chunk ends inside one', async () => {
    const bytes = encoder.encode('{"text":"日本 🌮"}\n');
    const taco = bytes.indexOf(0xf0);
    for (const offset of [taco + 1, taco + 3, bytes.indexOf(0xe6) + 2]) {
      expect(await parseChunks(splitAt(bytes, [offset]))).toEqual([{ text: '日本 🌮' }]);
    }
  });

  it('fails with an internal ProviderError on a line that is not JSON, after the good lines', async () => {
    const values: unknown[] = [];
    const failure = await (async () => {
      for await (const value of parseNdjsonStream(toAsyncChunks([encoder.encode('{"ok":true}\n<html>oops</html>\n')]))) {
        values.push(value);
      }
    })().catch((error: unknown) => error);
    expect(values).toEqual([{ ok: true }]);
    expect(ProviderError.isInstance(failure)).toBe(true);
    expect(failure).toMatchObject({ kind: 'internal' });
    expect((failure as Error).message).toContain('<html>oops</html>');
  });
});
