import type * as grpc from '@grpc/grpc-js';
import { encodeCombinedFrames, FrameCombiner, type MuxRequestMessage, type MuxResponse } from '@nachos/proto';

/**
 * Writes one `Mux` stream's frames (encoded by hand; the serializer passes bytes through). On a stream whose
 * gateway reads combined messages, the frames written in one turn of the event loop (every call's batch,
 * flushed together at the turn's end, and the statuses) leave as one gRPC message: grpc-js and HTTP/2 cost
 * once per stream and turn, in both services, instead of once per call. A write returns a promise while
 * the stream is full, resolved once it can take more, so that a call waits before sending its next batch.
 */
export class MuxFrameWriter {
  readonly #stream: grpc.ServerDuplexStream<MuxRequestMessage, MuxResponse>;
  /** Only on a stream whose gateway reads combined messages. */
  readonly #combiner: FrameCombiner | undefined;
  #writable: Promise<void> | undefined;
  /** The stream is gone: frames are dropped. */
  #gone = false;

  constructor(stream: grpc.ServerDuplexStream<MuxRequestMessage, MuxResponse>, combine: boolean) {
    this.#stream = stream;
    // The turn ends after the callback that wrote: flushAtTurnEnd flushes every call in one callback.
    this.#combiner = combine ? new FrameCombiner(encodeCombinedFrames, (message) => void this.#send(message), (flush) => process.nextTick(flush)) : undefined;
  }

  write(frame: Uint8Array): Promise<void> | void {
    if (this.#gone) return;
    if (this.#combiner === undefined) return this.#send(frame);
    this.#combiner.write(frame);
    return this.#writable;
  }

  /** Sends the frames held so far: before the stream ends. */
  flush(): void {
    this.#combiner?.flush();
  }

  /** The stream closed or failed: nothing more is sent. */
  drop(): void {
    this.#gone = true;
    this.#combiner?.clear();
  }

  #send(message: Uint8Array): Promise<void> | void {
    if (this.#gone || this.#stream.write(message as unknown as MuxResponse)) return;
    this.#writable ??= new Promise<void>((resolve) => {
      const done = () => {
        this.#stream.off('drain', done);
        this.#stream.off('close', done);
        this.#writable = undefined;
        resolve();
      };
      this.#stream.on('drain', done);
      this.#stream.on('close', done);
    });
    return this.#writable;
  }
}
