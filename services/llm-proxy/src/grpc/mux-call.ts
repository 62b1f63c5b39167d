import { randomUUID } from 'node:crypto';
import { ProviderError, type StreamEvent } from '@nachos/plugin-sdk';
import { readChatRequest, toMuxStatus, type MuxOpenFrame, type MuxStatus } from '@nachos/proto';
import { applyChatDefaults } from '../chat-defaults.js';
import { ChatOutcome } from './chat-outcome.js';
import type { ChatDependencies } from './serve-chat.js';

/** Most events one batch holds; past it the call stops pulling from the upstream until the batch is sent. */
const MAX_BATCH = 256;

/** Where a call's frames go: the `Mux` stream it arrived on, shared with other calls. */
export interface MuxSink {
  /**
   * Sends one batch (encoded straight from the canonical events); the promise, if any, resolves once the
   * stream can take more. Throws the codec's error for an event it cannot encode.
   */
  events(callId: number, events: StreamEvent[]): Promise<void> | void;
  status(callId: number, status: MuxStatus): void;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * One chat on a `Mux` stream. Its events leave in batches (those ready in the same turn of the event
 * loop), each batch spending one credit the gateway granted; with none left the call stops pulling from
 * the upstream, so a client that reads slowly slows its own upstream and holds at most `credit + 1`
 * batches here. It ends with exactly one status frame, unless the gateway cancelled it (it wants nothing
 * more) — a deadline or upstream failure is reported, after the events that preceded it.
 */
export class MuxCall {
  readonly #id: number;
  readonly #open: MuxOpenFrame;
  readonly #sink: MuxSink;
  readonly #dependencies: ChatDependencies;
  readonly #controller = new AbortController();
  #credit: number;
  #creditGranted: (() => void) | undefined;
  #pending: StreamEvent[] = [];
  #flushing: Promise<void> | undefined;

  constructor(id: number, open: MuxOpenFrame, sink: MuxSink, dependencies: ChatDependencies) {
    this.#id = id;
    this.#open = open;
    this.#sink = sink;
    this.#dependencies = dependencies;
    this.#credit = open.credit;
  }

  grant(credit: number): void {
    this.#credit += credit;
    this.#wake();
  }

  /** Ends the call early: the gateway cancelled it (no status follows), its deadline passed, or the stream is gone. */
  abort(reason: ProviderError): void {
    if (!this.#controller.signal.aborted) this.#controller.abort(reason);
    this.#wake();
  }

  async run(): Promise<void> {
    const { signal } = this.#controller;
    const requestId = this.#open.requestId || randomUUID();
    const outcome = new ChatOutcome();
    const timeoutMs = this.#open.timeoutMs;
    const timer = timeoutMs > 0 ? setTimeout(() => this.abort(new ProviderError({ kind: 'timeout', message: 'the call deadline passed' })), timeoutMs) : undefined;
    try {
      if (!this.#open.request) throw new ProviderError({ kind: 'invalid_request', message: 'The call carries no chat request.' });
      const request = readChatRequest(this.#open.request);
      outcome.model = request.model;
      const call = { requestId, signal, ...this.#open.caller };
      for await (const event of this.#dependencies.router.chat(applyChatDefaults(request, this.#dependencies.defaults), call)) {
        if (signal.aborted) throw signal.reason;
        outcome.observe(event);
        this.#pending.push(event);
        this.#flushing ??= nextTurn().then(() => this.#drain());
        if (this.#pending.length >= MAX_BATCH) await this.#flushing;
      }
      await this.#flush();
      if (signal.aborted) throw signal.reason;
      outcome.log(this.#dependencies.logger, requestId, 'ok');
      this.#sink.status(this.#id, toMuxStatus());
    } catch (error) {
      const failure = signal.aborted && ProviderError.isInstance(signal.reason) ? signal.reason : error;
      outcome.log(this.#dependencies.logger, requestId, failure);
      if (ProviderError.isInstance(failure) && failure.kind === 'cancelled') return;
      await this.#flush().catch(() => {});
      this.#sink.status(this.#id, toMuxStatus(failure));
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  #flush(): Promise<void> {
    if (this.#flushing) return this.#flushing;
    if (this.#pending.length === 0) return Promise.resolve();
    return (this.#flushing = this.#drain());
  }

  async #drain(): Promise<void> {
    const { signal } = this.#controller;
    while (this.#pending.length > 0 && !signal.aborted) {
      if (this.#credit <= 0) {
        await new Promise<void>((resolve) => (this.#creditGranted = resolve));
        continue;
      }
      const events = this.#pending;
      this.#pending = [];
      this.#credit -= 1;
      try {
        await this.#sink.events(this.#id, events);
      } catch (error) {
        this.abort(ProviderError.isInstance(error) ? error : new ProviderError({ kind: 'internal', message: 'An event could not be encoded.' }));
      }
    }
    // Events of an aborted call have no reader any more.
    if (signal.aborted) this.#pending = [];
    this.#flushing = undefined;
  }

  #wake(): void {
    const wake = this.#creditGranted;
    this.#creditGranted = undefined;
    wake?.();
  }
}
