import { randomUUID } from 'node:crypto';
import { CallCancellation, ProviderError, type ChatRequest, type StreamEvent } from '@nachos/plugin-sdk';
import { readChatRequest, toMuxStatus, type MuxOpenFrame, type MuxStatus } from '@nachos/proto';
import { applyChatDefaults } from '../chat-defaults.js';
import { ChatOutcome } from './chat-outcome.js';
import type { ChatDependencies } from './serve-chat.js';
import { flushAtTurnEnd, type TurnFlushed } from './turn-flush.js';

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

/**
 * One chat on a `Mux` stream. Its events leave in batches (those ready in the same turn of the event
 * loop), each batch spending one credit the gateway granted; with none left the call stops pulling from
 * the upstream, so a client that reads slowly slows its own upstream and holds at most `credit + 1`
 * batches here. It ends with exactly one status frame, unless the gateway cancelled it (it wants nothing
 * more) — a deadline or upstream failure is reported, after the events that preceded it.
 */
export class MuxCall implements TurnFlushed {
  readonly #id: number;
  readonly #open: MuxOpenFrame;
  readonly #sink: MuxSink;
  readonly #dependencies: ChatDependencies;
  readonly #cancellation = new CallCancellation();
  #credit: number;
  #pending: StreamEvent[] = [];
  /** Queued for the flush at the end of this turn. */
  #due = false;
  /** A batch waits for the stream to take more; the next leaves once it has. */
  #writing = false;
  /** The run loop's wait for every pending event to be sent (or dropped, the call aborted). */
  #sent: (() => void) | undefined;

  constructor(id: number, open: MuxOpenFrame, sink: MuxSink, dependencies: ChatDependencies) {
    this.#id = id;
    this.#open = open;
    this.#sink = sink;
    this.#dependencies = dependencies;
    this.#credit = open.credit;
  }

  grant(credit: number): void {
    this.#credit += credit;
    if (!this.#due) this.#send();
  }

  /** Ends the call early: the gateway cancelled it (no status follows), its deadline passed, or the stream is gone. */
  abort(reason: ProviderError): void {
    this.#cancellation.abort(reason);
    this.#send();
  }

  flushTurn(): void {
    this.#due = false;
    this.#send();
  }

  async run(): Promise<void> {
    const signal = this.#cancellation;
    const requestId = this.#open.requestId || randomUUID();
    const outcome = new ChatOutcome();
    const timeoutMs = this.#open.timeoutMs;
    const timer = timeoutMs > 0 ? setTimeout(() => this.abort(new ProviderError({ kind: 'timeout', message: 'the call deadline passed' })), timeoutMs) : undefined;
    try {
      await this.#route(requestId, outcome);
      await this.#allSent();
      if (signal.aborted) throw signal.reason;
      outcome.log(this.#dependencies.logger, requestId, 'ok');
      this.#sink.status(this.#id, toMuxStatus());
    } catch (error) {
      const failure = signal.aborted && ProviderError.isInstance(signal.reason) ? signal.reason : error;
      outcome.log(this.#dependencies.logger, requestId, failure);
      if (ProviderError.isInstance(failure) && failure.kind === 'cancelled') return;
      await this.#allSent();
      this.#sink.status(this.#id, toMuxStatus(failure));
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  /**
   * Hands the chat to the router, whose events are queued for the batches. Apart from `run`, which waits for as
   * long as the stream lasts and would keep the request in its registers: the router lets go of it once an
   * attempt has committed, and then nothing here holds the prompt.
   */
  #route(requestId: string, outcome: ChatOutcome): Promise<void> {
    const signal = this.#cancellation;
    const request = this.#takeRequest();
    outcome.model = request.model;
    const call = { requestId, signal, ...this.#open.caller };
    return this.#dependencies.router.chat(applyChatDefaults(request, this.#dependencies.defaults), call, (event) => {
      if (signal.aborted) throw signal.reason;
      outcome.observe(event);
      this.#pending.push(event);
      if (this.#pending.length >= MAX_BATCH) return this.#allSent();
      if (!this.#due) {
        this.#due = true;
        flushAtTurnEnd(this);
      }
    });
  }

  /**
   * The chat request, read from the open frame's bytes, which the frame then lets go: they are a copy of the
   * prompt, and the call would otherwise hold it beside the canonical request until its last token.
   */
  #takeRequest(): ChatRequest {
    const bytes = this.#open.request;
    this.#open.request = undefined;
    if (!bytes) throw new ProviderError({ kind: 'invalid_request', message: 'The call carries no chat request.' });
    return readChatRequest(bytes);
  }

  /** Sends what is pending now; resolves once it is all sent (or dropped), which may wait for credit or for the stream. */
  #allSent(): Promise<void> | void {
    this.#send();
    if (this.#writing || this.#pending.length > 0) return new Promise<void>((resolve) => (this.#sent = resolve));
  }

  /** Sends the pending events as one batch per credit, one write at a time; never throws. */
  #send(): void {
    if (this.#writing) return;
    const signal = this.#cancellation;
    while (this.#pending.length > 0 && this.#credit > 0 && !signal.aborted) {
      const events = this.#pending;
      this.#pending = [];
      this.#credit -= 1;
      let written: Promise<void> | void;
      try {
        written = this.#sink.events(this.#id, events);
      } catch (error) {
        this.#cancellation.abort(ProviderError.isInstance(error) ? error : new ProviderError({ kind: 'internal', message: 'An event could not be encoded.' }));
        break;
      }
      if (written) {
        this.#writing = true;
        void written.then(this.#written);
        return;
      }
    }
    // Events of an aborted call have no reader any more.
    if (signal.aborted) this.#pending = [];
    if (this.#pending.length > 0) return;
    const sent = this.#sent;
    this.#sent = undefined;
    sent?.();
  }

  readonly #written = (): void => {
    this.#writing = false;
    this.#send();
  };
}
