import { varintLength, writeVarint } from './codec/varint.js';

/**
 * Mux frames combined into one message, either way across the seam: each frame, already encoded, becomes one
 * element of the message's repeated `combined` field, so grpc-js and HTTP/2 carry a turn's frames once.
 */

/** The bytes `frame` takes inside a combined message: its one-byte tag, its length, itself. */
export function combinedFrameLength(frame: Uint8Array): number {
  return 1 + varintLength(frame.length) + frame.length;
}

/**
 * One message carrying `frames` (in order) under the one-byte field tag `tag`; `length` is the sum of their
 * {@link combinedFrameLength}s.
 */
export function encodeCombined(tag: number, frames: readonly Uint8Array[], length: number): Uint8Array {
  const message = Buffer.allocUnsafe(length);
  let at = 0;
  for (const frame of frames) {
    message[at++] = tag;
    at = writeVarint(message, at, frame.length);
    message.set(frame, at);
    at += frame.length;
  }
  return message;
}
