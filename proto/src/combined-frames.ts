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

/** Frames this large are not held to be combined, and held frames reaching it leave at once: messages stay small. */
const COMBINE_LIMIT = 64 * 1024;

/**
 * The frames one side of a `Mux` stream has written in the current turn, held to leave as one message. Each
 * writer decides when a turn ends and how a message is sent; this is the part both share.
 */
export class HeldFrames {
  readonly #encode: (frames: readonly Uint8Array[], length: number) => Uint8Array;
  #frames: Uint8Array[] = [];
  #length = 0;

  /** `encode` makes the one message of this direction (`encodeCombinedFrames` or `encodeCombinedRequests`). */
  constructor(encode: (frames: readonly Uint8Array[], length: number) => Uint8Array) {
    this.#encode = encode;
  }

  /** Whether `frame` is too large to be held: it leaves alone, after whatever is held. */
  static alone(frame: Uint8Array): boolean {
    return frame.length >= COMBINE_LIMIT;
  }

  /** Holds `frame`; true when the held frames have reached the limit and should leave now. */
  hold(frame: Uint8Array): boolean {
    this.#frames.push(frame);
    this.#length += combinedFrameLength(frame);
    return this.#length >= COMBINE_LIMIT;
  }

  /** The held frames as one message (a lone frame as itself), or undefined when none are held; empties the hold. */
  take(): Uint8Array | undefined {
    const frames = this.#frames;
    if (frames.length === 0) return undefined;
    const length = this.#length;
    this.clear();
    return frames.length === 1 ? frames[0]! : this.#encode(frames, length);
  }

  clear(): void {
    this.#frames = [];
    this.#length = 0;
  }
}
