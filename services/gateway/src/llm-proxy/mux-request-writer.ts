import type * as grpc from '@grpc/grpc-js';
import { combinedFrameLength, encodeCombinedRequests, type MuxResponseMessage } from '@nachos/proto';

/** Frames this large are not held to be combined, and held frames reaching it leave at once: messages stay small. */
const COMBINE_LIMIT = 64 * 1024;

/**
 * Writes one `Mux` stream's frames. grpc-js hands a stream's messages to HTTP/2 one at a time, the next only
 * once the last has reached the socket, which happens at the end of a turn of the event loop: a burst of
 * chats opened in one turn (hundreds of requests read in one poll) would leave one frame per stream and
 * turn. On a stream whose llm-proxy reads combined messages (`combine`), the frames written in one turn
 * leave together as one message at its end instead.
 */
export class MuxRequestWriter {
  readonly #duplex: grpc.ClientDuplexStream<Uint8Array, MuxResponseMessage>;
  combine = false;
  #held: Uint8Array[] = [];
  #heldLength = 0;
  #flushQueued = false;

  constructor(duplex: grpc.ClientDuplexStream<Uint8Array, MuxResponseMessage>) {
    this.#duplex = duplex;
  }

  write(frame: Uint8Array): void {
    if (!this.combine || frame.length >= COMBINE_LIMIT) {
      this.flush();
      this.#duplex.write(frame);
      return;
    }
    this.#held.push(frame);
    this.#heldLength += combinedFrameLength(frame);
    if (this.#heldLength >= COMBINE_LIMIT) this.flush();
    else if (!this.#flushQueued) {
      this.#flushQueued = true;
      setImmediate(this.#flushQueuedFrames);
    }
  }

  /** Sends the frames held so far: before the stream ends, and at the end of each turn. */
  flush(): void {
    const held = this.#held;
    if (held.length === 0) return;
    this.#held = [];
    const length = this.#heldLength;
    this.#heldLength = 0;
    this.#duplex.write(held.length === 1 ? held[0]! : encodeCombinedRequests(held, length));
  }

  /** The stream failed: held frames have no reader. */
  drop(): void {
    this.#held = [];
    this.#heldLength = 0;
  }

  readonly #flushQueuedFrames = (): void => {
    this.#flushQueued = false;
    this.flush();
  };
}
