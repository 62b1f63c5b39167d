import { readFileSync } from 'node:fs';
import { EventStreamCodec } from '@smithy/core/event-streams';
import type { MessageHeaders } from '@smithy/types';

/**
 * Builds ConverseStream bodies for tests with the AWS codec's encoder, so that the frames a fake
 * upstream sends are exactly what Bedrock's framing looks like (lengths, headers, both CRC32s).
 */

const codec = new EventStreamCodec(
  (bytes) => new TextDecoder().decode(bytes),
  (text) => new TextEncoder().encode(text),
);

/** The recorded fixtures folder. */
export const BEDROCK_FIXTURES = new URL('../../../test/fixtures/protocols/bedrock/', import.meta.url);

/** A recorded fixture's bytes. */
export function readFixture(name: string): Buffer {
  return readFileSync(new URL(name, BEDROCK_FIXTURES));
}

/** One `:message-type: event` frame, with the random-length `p` padding Bedrock adds to every payload. */
export function encodeEvent(type: string, payload: Record<string, unknown>): Uint8Array {
  return encodeFrame(
    { ':event-type': text(type), ':content-type': text('application/json'), ':message-type': text('event') },
    { ...payload, p: 'abcdefghijklmnop'.slice(0, (type.length * 7) % 16) },
  );
}

/** One `:message-type: exception` frame, as Bedrock reports a failure after the 200. */
export function encodeException(exceptionType: string, message: string): Uint8Array {
  return encodeFrame(
    { ':exception-type': text(exceptionType), ':content-type': text('application/json'), ':message-type': text('exception') },
    { message },
  );
}

/** One `:message-type: error` frame (an unmodelled error, named in headers only). */
export function encodeErrorFrame(code: string, message: string): Uint8Array {
  return codec.encode({
    headers: { ':error-code': text(code), ':error-message': text(message), ':message-type': text('error') },
    body: new Uint8Array(0),
  });
}

/** A whole body from decoded event lines as the fixtures store them: `{"<event type>": payload}`. */
export function encodeEventLines(lines: ReadonlyArray<Record<string, Record<string, unknown>>>): Uint8Array {
  return concat(lines.flatMap((line) => Object.entries(line).map(([type, payload]) => encodeEvent(type, payload))));
}

/** A decoded `.events.jsonl` fixture, encoded back into eventstream frames. */
export function encodeEventsFixture(name: string): Uint8Array {
  const lines = readFixture(name)
    .toString('utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, Record<string, unknown>>);
  return encodeEventLines(lines);
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts.map((part) => Buffer.from(part.buffer, part.byteOffset, part.byteLength))));
}

function encodeFrame(headers: MessageHeaders, payload: unknown): Uint8Array {
  return codec.encode({ headers, body: new TextEncoder().encode(JSON.stringify(payload)) });
}

function text(value: string): { type: 'string'; value: string } {
  return { type: 'string', value };
}
