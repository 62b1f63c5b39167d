import type * as grpc from '@grpc/grpc-js';
import { encodeCombinedRequests, HeldFrames, type MuxResponseMessage } from '@nachos/proto';

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
  readonly #held = new HeldFrames(encodeCombinedRequests);
  #flushQueued = false;

  constructor(duplex: grpc.ClientDuplexStream<Uint8Array, MuxResponseMessage>) {
    this.#duplex = duplex;
  }

  write(frame: Uint8Array): void {
    if (!this.combine || HeldFrames.alone(frame)) {
      this.flush();
      this.#duplex.write(frame);
      return;
    }
    if (this.#held.hold(frame)) this.flush();
    else if (!this.#flushQueued) {
      this.#flushQueued = true;
      setImmediate(this.#flushQueuedFrames);
    }
  }

  /** Sends the frames held so far: before the stream ends, and at the end of each turn. */
  flush(): void {
    const message = this.#held.take();
    if (message) this.#duplex.write(message);
  }

  /** The stream failed: held frames have no reader. */
  drop(): void {
    this.#held.clear();
  }

  readonly #flushQueuedFrames = (): void => {
    this.#flushQueued = false;
    this.flush();
  };
}
