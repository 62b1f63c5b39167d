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
 * Writes one side of a `Mux` stream with the frames of a turn combined: each frame is held until the turn
 * ends (`queue` runs the flush then; each side says when its turn ends) or until the held frames reach
 * COMBINE_LIMIT, and they leave through `send` as one message (a lone frame as itself). A frame at the limit
 * leaves alone, after whatever is held.
 */
export class FrameCombiner {
  readonly #encode: (frames: readonly Uint8Array[], length: number) => Uint8Array;
  readonly #send: (message: Uint8Array) => void;
  readonly #queue: (flush: () => void) => void;
  #frames: Uint8Array[] = [];
  #length = 0;
  #queued = false;

  /** `encode` makes the one message of this direction (`encodeCombinedFrames` or `encodeCombinedRequests`). */
  constructor(
    encode: (frames: readonly Uint8Array[], length: number) => Uint8Array,
    send: (message: Uint8Array) => void,
    queue: (flush: () => void) => void,
  ) {
    this.#encode = encode;
    this.#send = send;
    this.#queue = queue;
  }

  write(frame: Uint8Array): void {
    if (frame.length >= COMBINE_LIMIT) {
      this.flush();
      this.#send(frame);
      return;
    }
    this.#frames.push(frame);
    this.#length += combinedFrameLength(frame);
    if (this.#length >= COMBINE_LIMIT) this.flush();
    else if (!this.#queued) {
      this.#queued = true;
      this.#queue(this.#flushQueued);
    }
  }

  /** Sends the frames held so far: at the end of each turn, and before the stream ends. */
  flush(): void {
    const frames = this.#frames;
    if (frames.length === 0) return;
    const length = this.#length;
    this.clear();
    this.#send(frames.length === 1 ? frames[0]! : this.#encode(frames, length));
  }

  /** Forgets the frames held: the stream is gone. */
  clear(): void {
    this.#frames = [];
    this.#length = 0;
  }

  readonly #flushQueued = (): void => {
    this.#queued = false;
    this.flush();
  };
}
