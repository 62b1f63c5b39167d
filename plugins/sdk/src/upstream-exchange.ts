import type { Dispatcher } from 'undici';
import type { HeaderReader } from './parse-retry-after.js';

/** Bytes held for a consumer that has not pulled them yet; beyond it the socket stops being read. */
const HIGH_WATER_BYTES = 64 * 1024;
/** How long a body abandoned before its end is read on, so that its connection can be reused. */
const DRAIN_LIMIT_MS = 100;
const DRAIN_LIMIT_BYTES = 64 * 1024;

const DONE: IteratorResult<Uint8Array> = { done: true, value: undefined };
const NO_HEADERS: readonly Buffer[] = [];

/** What the body's reader is told when the body is over (once), and how it sees a failure of the connection. */
export interface BodyEnd {
  dispose(): void;
  /** The error the reader sees for one the connection raised. */
  failure(error: Error): Error;
}

/** How far a call got: on a connection (`sent`), answered (`headers`). */
export type UpstreamProgress = (stage: 'sent' | 'headers') => void;

/**
 * One HTTP exchange with a provider, driven by undici's dispatcher API directly: no `fetch`, no web
 * streams, no intermediate Node stream. Body chunks are handed to the one consumer as it pulls; when it
 * stops pulling and 64 KiB wait, the socket is paused, so a slow reader slows the provider instead of
 * growing our memory.
 *
 * It also knows whether the request ever left on a connection: a call that fails before that failed
 * on our side (no free connection, a connect that did not finish), which says nothing about the provider.
 *
 * It takes the callbacks undici's client calls itself (`onConnect`, `onHeaders`, `onData`, `onComplete`,
 * `onError`). A handler with the controller-style callbacks is wrapped by undici in an adapter and a
 * controller per request, with every response header and trailer decoded into an object first; here the
 * raw header Buffers are kept and only the few a reader asks for are decoded, until the body is read.
 * undici's types mark these callbacks deprecated, yet they are what its client runs on (the version is pinned).
 */
export class UpstreamExchange implements Dispatcher.DispatchHandler, AsyncIterator<Uint8Array>, HeaderReader {
  status = 0;
  /** Whether the request was written to a connection (undici's `onConnect`). */
  sent = false;
  /** Names and values, as undici's parser read them: views into the socket chunk, let go when the body is read. */
  #rawHeaders: readonly Buffer[] = NO_HEADERS;
  #abortConnection: ((reason: Error) => void) | undefined;
  #resumeConnection: (() => void) | undefined;
  #paused = false;
  #abortReason: Error | undefined;
  readonly #progress: UpstreamProgress | undefined;
  #chunks: Buffer[] = [];
  #buffered = 0;
  #ended = false;
  #error: Error | undefined;
  /** The consumer's `next()` waiting for a chunk, settled by undici's callbacks directly. */
  #resolve: ((result: IteratorResult<Uint8Array>) => void) | undefined;
  #reject: ((error: Error) => void) | undefined;
  #wake: (() => void) | undefined;
  #bodyEnd: BodyEnd | undefined;
  #bodyEnded = false;
  #head: { resolve: () => void; reject: (error: Error) => void } | undefined;
  readonly responded: Promise<void>;

  constructor(progress?: UpstreamProgress) {
    this.#progress = progress;
    this.responded = new Promise<void>((resolve, reject) => {
      this.#head = { resolve, reject };
    });
  }

  // ---- undici's side ----

  onConnect(abort: (reason: Error) => void): void {
    this.#abortConnection = abort;
    if (this.#abortReason !== undefined) {
      abort(this.#abortReason);
      return;
    }
    this.sent = true;
    this.#progress?.('sent');
  }

  /** Returns whether undici should go on reading the socket. */
  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    this.status = statusCode;
    this.#rawHeaders = rawHeaders;
    this.#resumeConnection = resume;
    this.#progress?.('headers');
    this.#head?.resolve();
    this.#head = undefined;
    return !this.#paused;
  }

  /** Returns whether undici should go on reading the socket: not once 64 KiB wait for the consumer. */
  onData(chunk: Buffer): boolean {
    this.#chunks.push(chunk);
    this.#buffered += chunk.byteLength;
    if (this.#buffered >= HIGH_WATER_BYTES) this.#paused = true;
    this.#wakeConsumer();
    return !this.#paused;
  }

  onComplete(): void {
    this.#ended = true;
    this.#wakeConsumer();
  }

  onError(error: Error): void {
    this.#error ??= error;
    this.#head?.reject(error);
    this.#head = undefined;
    this.#wakeConsumer();
  }

  // ---- ours ----

  /** Ends the exchange now: a queued request never leaves, an open one closes its connection. */
  abort(reason: Error): void {
    if (this.#ended || this.#error !== undefined) return;
    this.#abortReason = reason;
    this.#abortConnection?.(reason);
    this.onError(reason);
  }

  /**
   * The body is about to be read: the parsed headers are let go (every reader of them reads them before
   * the body), and `end` is disposed once when the body ends, fails or is abandoned.
   */
  readBody(end: BodyEnd): void {
    this.#rawHeaders = NO_HEADERS;
    this.#bodyEnd = end;
  }

  /** Several lines of one header read as one value, joined with `, ` (RFC 9110 5.3). */
  get(name: string): string | null {
    const wanted = name.toLowerCase();
    const raw = this.#rawHeaders;
    let value: string | null = null;
    for (let at = 0; at < raw.length; at += 2) {
      const key = raw[at] as Buffer;
      // Header names are tokens (ASCII, which undici's parser checks): one byte per character.
      if (key.length !== wanted.length || key.toString('latin1').toLowerCase() !== wanted) continue;
      const line = (raw[at + 1] as Buffer).toString('latin1');
      value = value === null ? line : `${value}, ${line}`;
    }
    return value;
  }

  get headers(): HeaderReader {
    return this;
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return this;
  }

  /** A plain method rather than an async one: a waiting consumer costs one promise, settled by undici's callbacks. */
  next(): Promise<IteratorResult<Uint8Array>> {
    const chunk = this.#take();
    if (chunk !== undefined) return Promise.resolve({ done: false, value: chunk });
    if (this.#error !== undefined) return Promise.reject(this.#failed(this.#error));
    if (this.#ended) return Promise.resolve(this.#finished());
    return new Promise(this.#await);
  }

  readonly #await = (resolve: (result: IteratorResult<Uint8Array>) => void, reject: (error: Error) => void): void => {
    this.#resolve = resolve;
    this.#reject = reject;
  };

  /**
   * The consumer stopped. A body that is nearly over (a stream read up to its own end marker, say)
   * is read to its end for a moment so the connection goes back to the pool; anything else is closed.
   */
  async return(): Promise<IteratorResult<Uint8Array>> {
    this.#endBody();
    if (!this.#ended && this.#error === undefined) {
      await this.#drainBriefly();
      if (!this.#ended) this.abort(new Error('upstream body abandoned'));
    }
    this.#chunks = [];
    return DONE;
  }

  #finished(): IteratorResult<Uint8Array> {
    this.#endBody();
    return DONE;
  }

  #failed(error: Error): Error {
    this.#endBody();
    return this.#bodyEnd === undefined ? error : this.#bodyEnd.failure(error);
  }

  #endBody(): void {
    if (this.#bodyEnded) return;
    this.#bodyEnded = true;
    this.#bodyEnd?.dispose();
  }

  #take(): Buffer | undefined {
    const chunk = this.#chunks.shift();
    if (chunk === undefined) return undefined;
    this.#buffered -= chunk.byteLength;
    if (this.#buffered === 0 && this.#paused) {
      this.#paused = false;
      this.#resumeConnection?.();
    }
    return chunk;
  }

  #wakeConsumer(): void {
    const resolve = this.#resolve;
    if (resolve !== undefined) {
      const reject = this.#reject as (error: Error) => void;
      this.#resolve = undefined;
      this.#reject = undefined;
      const chunk = this.#take();
      if (chunk !== undefined) resolve({ done: false, value: chunk });
      else if (this.#error !== undefined) reject(this.#failed(this.#error));
      else resolve(this.#finished());
      return;
    }
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  async #drainBriefly(): Promise<void> {
    let discarded = 0;
    const deadline = Date.now() + DRAIN_LIMIT_MS;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      while (!this.#ended && this.#error === undefined && discarded <= DRAIN_LIMIT_BYTES) {
        const chunk = this.#take();
        if (chunk !== undefined) {
          discarded += chunk.byteLength;
          continue;
        }
        const left = deadline - Date.now();
        if (left <= 0) return;
        await new Promise<void>((resolve) => {
          this.#wake = resolve;
          timer = setTimeout(resolve, left);
        });
        clearTimeout(timer);
      }
    } finally {
      clearTimeout(timer);
      this.#wake = undefined;
    }
  }
}
