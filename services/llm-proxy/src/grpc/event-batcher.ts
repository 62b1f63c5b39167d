import type * as grpc from '@grpc/grpc-js';
import { create } from '@bufbuild/protobuf';
import { ChatEventBatchSchema, type ChatEvent, type ChatEventBatch } from '@nachos/proto';
import { writeWithBackpressure } from './write-event.js';

/** Most events one batch holds; past it the producer waits for the batch to be written. */
const MAX_BATCH = 256;

/**
 * Sends the events that become ready in the same turn of the event loop as one gRPC message. A plugin
 * that yields several events from one network chunk (or a whole answer at once) then costs one frame and
 * one wake-up on each side instead of one per event; a lone token still leaves at once (the flush runs on
 * the next `setImmediate`, before any timer).
 */
export class EventBatcher {
  readonly #call: grpc.ServerWritableStream<unknown, ChatEventBatch>;
  #pending: ChatEvent[] = [];
  #flushing: Promise<void> | undefined;

  constructor(call: grpc.ServerWritableStream<unknown, ChatEventBatch>) {
    this.#call = call;
  }

  /** Queues an event; resolves at once unless the batch is full and must be written first. */
  async add(event: ChatEvent): Promise<void> {
    this.#pending.push(event);
    this.#flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.#write());
    if (this.#pending.length >= MAX_BATCH) await this.#flushing;
  }

  /** Writes whatever is queued; call it before ending the call, with success or an error. */
  async flush(): Promise<void> {
    if (this.#flushing) await this.#flushing;
    if (this.#pending.length > 0) await this.#write();
  }

  #write(): Promise<void> | void {
    const events = this.#pending;
    this.#pending = [];
    this.#flushing = undefined;
    if (events.length === 0 || this.#call.cancelled) return;
    return writeWithBackpressure(this.#call, create(ChatEventBatchSchema, { events }));
  }
}
