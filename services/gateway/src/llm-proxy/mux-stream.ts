import * as grpc from '@grpc/grpc-js';
import { CallTable } from '@nachos/common';
import {
  cancelFrame,
  creditFrame,
  decodeMuxResponse,
  encodeCombinedRequests,
  FrameCombiner,
  fromMuxStatus,
  LlmProxyServiceDefinition,
  MUX_COMBINED_METADATA_KEY,
  MUX_COMBINED_REQUESTS_METADATA_KEY,
  openFrame,
  type LlmProxyClient as GeneratedClient,
  type MuxResponseFrame,
  type MuxResponseMessage,
} from '@nachos/proto';
import type { MuxChat, MuxChatHost } from './mux-chat.js';
import { MuxLiveness, SILENCE_LIMIT_MS, type LivenessProbe } from './mux-liveness.js';

const MUX_PATH = LlmProxyServiceDefinition.mux.path;

const toBuffer = (bytes: Uint8Array): Buffer => (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));

/**
 * Opens a call with no stack captured. grpc-js makes an `Error` as a call starts, to name the caller's stack
 * should the call fail, and keeps it for as long as the call lives. V8 formats a stack only when it is read,
 * and until then holds every frame's receiver: a stream is opened inside the chat that first needs it, so
 * that chat (its events, its exchange, its request and response) stayed in memory with the stream, for hours.
 */
function withoutCallerStack<T>(open: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return open();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** What a stream tells its pool. */
export interface MuxStreamEvents {
  ready(): void;
  /** llm-proxy showed no sign of life for too long with calls in flight: it is frozen, not busy. */
  frozen(): void;
  /** The stream failed or ended; `calls` were in flight on it and have not ended. */
  broken(calls: MuxChat[], error: grpc.ServiceError | undefined): void;
}

/**
 * One long-lived `Mux` stream to llm-proxy and the chats running on it, each under a call id of its own.
 * It waits for a connection (`waitForReady`), so opening one while llm-proxy is away costs nothing until
 * it is back; it is ready once llm-proxy's response headers arrive, which it sends as it takes the stream.
 * Whether llm-proxy is still there is judged by what arrives (`MuxLiveness`), not by a ping's timing, so
 * a peer slowed by a saturated machine keeps its calls.
 */
export class MuxStream implements MuxChatHost {
  readonly #duplex: grpc.ClientDuplexStream<Uint8Array, MuxResponseMessage>;
  /**
   * grpc-js hands a stream's messages to HTTP/2 one at a time, the next only once the last has reached the
   * socket, which happens at the end of a turn of the event loop: a burst of chats opened in one turn
   * (hundreds of requests read in one poll) would leave one frame per stream and turn. Once llm-proxy says it
   * reads combined messages, the frames written in one turn leave together at its end instead.
   */
  #combiner: FrameCombiner | undefined;
  readonly #events: MuxStreamEvents;
  readonly #calls = new CallTable<MuxChat>();
  readonly #liveness: MuxLiveness;
  readonly #probe: LivenessProbe;
  #nextId = 1;
  ready = false;
  broken = false;

  constructor(client: GeneratedClient, probe: LivenessProbe, events: MuxStreamEvents) {
    this.#events = events;
    this.#probe = probe;
    this.#liveness = new MuxLiveness(probe, () => this.#calls.size > 0, () => this.#freeze());
    const metadata = new grpc.Metadata();
    metadata.setOptions({ waitForReady: true });
    // llm-proxy may then send the frames of one turn (several calls') as one message.
    metadata.set(MUX_COMBINED_METADATA_KEY, '1');
    // Frames go out as the bytes mux-frames.ts writes and come in decoded by hand, events already canonical.
    this.#duplex = withoutCallerStack(() => client.makeBidiStreamRequest(MUX_PATH, toBuffer, decodeMuxResponse, metadata));
    this.#duplex.on('metadata', (headers: grpc.Metadata) => {
      if (this.broken) return;
      if (headers.get(MUX_COMBINED_REQUESTS_METADATA_KEY)[0] === '1') {
        this.#combiner = new FrameCombiner(encodeCombinedRequests, (message) => this.#duplex.write(message), setImmediate);
      }
      this.ready = true;
      events.ready();
    });
    this.#duplex.on('data', (message: MuxResponseMessage) => {
      if ('combined' in message) for (const frame of message.combined) this.#receive(frame);
      else this.#receive(message);
    });
    this.#duplex.on('error', (error: grpc.ServiceError) => this.#break(error));
    // llm-proxy ends a stream when it drains; a status without an error is that.
    this.#duplex.on('status', () => this.#break(undefined));
  }

  get calls(): number {
    return this.#calls.size;
  }

  start(chat: MuxChat): void {
    const id = this.#nextId++;
    chat.attach(this, id);
    this.#calls.set(id, chat);
    this.#liveness.watch();
    // A chat starts (or starts again elsewhere) only while it has received nothing, so it still holds its open frame.
    this.#write(openFrame(id, chat.open!));
  }

  credit(callId: number, batches: number): void {
    if (!this.broken && this.#calls.has(callId)) this.#write(creditFrame(callId, batches));
  }

  cancel(callId: number): void {
    if (this.#calls.delete(callId) && !this.broken) this.#write(cancelFrame(callId));
  }

  /** Ends every call waiting on a stream that never became ready; llm-proxy drops them if it ever sees them. */
  abandonWaiting(error: Error): void {
    for (const chat of this.#calls.calls()) chat.cancel(error);
  }

  /**
   * Another stream found llm-proxy frozen: this one takes no new calls until llm-proxy answers on its
   * connection, and is given up if it does not in time.
   */
  verify(): void {
    if (this.broken || !this.ready) return;
    this.ready = false;
    this.#probe(SILENCE_LIMIT_MS, (answered) => {
      if (this.broken) return;
      if (!answered) this.#freeze();
      else {
        this.ready = true;
        this.#events.ready();
      }
    });
  }

  /** No new calls come; the stream ends once llm-proxy has finished the running ones. */
  close(): void {
    this.broken = true;
    this.#liveness.stop();
    this.#combiner?.flush();
    this.#duplex.end();
  }

  #receive(frame: MuxResponseFrame): void {
    this.#liveness.frames += 1;
    const chat = this.#calls.get(frame.callId);
    if (!chat) return;
    if (frame.status === undefined) chat.deliver(frame.events);
    else {
      this.#calls.delete(frame.callId);
      chat.finish(fromMuxStatus(frame.status));
    }
  }

  /** The calls fail over as on a lost stream, and the stream is dropped: llm-proxy drops them if it ever wakes. */
  #freeze(): void {
    this.#events.frozen();
    this.#break(undefined);
    this.#duplex.cancel();
  }

  #write(frame: Uint8Array): void {
    if (this.#combiner === undefined) this.#duplex.write(frame);
    else this.#combiner.write(frame);
  }

  #break(error: grpc.ServiceError | undefined): void {
    this.#liveness.stop();
    this.#combiner?.clear();
    if (this.broken && this.#calls.size === 0) return;
    this.broken = true;
    this.ready = false;
    const calls = this.#calls.calls();
    this.#calls.clear();
    this.#events.broken(calls, error);
  }
}
