import * as grpc from '@grpc/grpc-js';
import { HealthClient, type LlmProxyClient as GeneratedClient } from '@nachos/proto';
import { llmProxyUnavailable } from './call-error.js';
import type { MuxChat } from './mux-chat.js';
import { MuxStream } from './mux-stream.js';

/**
 * Streams kept open, each on a channel of its own: its own connection, so a service address that balances
 * per connection (a Swarm virtual IP) spreads them over llm-proxy replicas, as round robin does over the
 * addresses a name resolves to.
 */
const POOL_SIZE = 4;
/** How long a new stream may take to be taken by llm-proxy before calls waiting on it fail. */
const OPEN_TIMEOUT_MS = 3_000;

/**
 * A small pool of `Mux` streams, opened as calls need them and replaced when they break. While llm-proxy
 * is known to be gone (its address refuses connections, a new stream was not taken in time, or a stream
 * heard nothing from it for seconds: a frozen process) calls fail at once with `unavailable` instead of queueing, and the streams waiting for it tell
 * the pool the moment it is back. A call on a stream that breaks is placed once more on another stream if
 * it has received nothing yet, and otherwise fails with `unavailable`. An llm-proxy that does not know
 * `Mux` (older than this gateway) turns the pool off for the life of the process: `legacy` says chats go
 * one call each.
 */
export class MuxPool {
  readonly #connect: () => GeneratedClient;
  readonly #clients: Array<GeneratedClient | undefined> = new Array<GeneratedClient | undefined>(POOL_SIZE);
  readonly #slots: Array<MuxStream | undefined> = new Array<MuxStream | undefined>(POOL_SIZE);
  readonly #probes: Array<InstanceType<typeof HealthClient> | undefined> = new Array<InstanceType<typeof HealthClient> | undefined>(POOL_SIZE);
  #turn = 0;
  #down = false;
  #closed = false;
  legacy = false;
  /** Set on a call the pool could not run because llm-proxy has no `Mux`: run it the old way. */
  static readonly FALLBACK = new Error('llm-proxy has no Mux method');

  /** `connect` makes the client of one slot: a channel of its own to llm-proxy's address. */
  constructor(connect: () => GeneratedClient) {
    this.#connect = connect;
  }

  /** Whether llm-proxy is known to be unreachable right now: frozen, or refusing connections. */
  get down(): boolean {
    return this.#down || this.#clients.some((client) => client?.getChannel().getConnectivityState(false) === grpc.connectivityState.TRANSIENT_FAILURE);
  }

  start(chat: MuxChat): void {
    const stream = this.#closed ? undefined : this.#pick();
    if (stream) stream.start(chat);
    else chat.finish(llmProxyUnavailable());
  }

  /** Ends the streams; calls still running on them end as unavailable, and no new stream opens. */
  close(): void {
    this.#closed = true;
    for (const stream of this.#slots) stream?.close();
    for (const client of this.#clients) client?.close();
  }

  /** A health check on the slot's own channel, so its answer travels the connection the slot's stream does. */
  #probe(slot: number, client: GeneratedClient, deadlineMs: number, done: (answered: boolean) => void): void {
    const health = (this.#probes[slot] ??= new HealthClient('', grpc.credentials.createInsecure(), { channelOverride: client.getChannel() }));
    health.check({ service: '' }, { deadline: Date.now() + deadlineMs }, (error) => done(error === null));
  }

  /** The next slot's stream if it is ready, else any ready one; a waiting one only while llm-proxy is not known to be gone. */
  #pick(): MuxStream | undefined {
    const slot = this.#turn++ % POOL_SIZE;
    let stream = this.#slots[slot];
    if (!stream || stream.broken) stream = this.#slots[slot] = this.#open(slot);
    if (stream.ready) return stream;
    for (const other of this.#slots) if (other?.ready) return other;
    return this.down ? undefined : stream;
  }

  #open(slot: number): MuxStream {
    const client = (this.#clients[slot] ??= this.#connect());
    const probe = (deadlineMs: number, done: (answered: boolean) => void) => this.#probe(slot, client, deadlineMs, done);
    const stream: MuxStream = new MuxStream(client, probe, {
      ready: () => {
        clearTimeout(timer);
        this.#down = false;
      },
      frozen: () => {
        this.#down = true;
        for (const other of this.#slots) if (other !== stream) other?.verify();
      },
      broken: (calls, error) => {
        clearTimeout(timer);
        this.#broken(calls, error);
      },
    });
    const timer = setTimeout(() => {
      if (stream.ready || stream.broken) return;
      this.#down = true;
      stream.abandonWaiting(llmProxyUnavailable());
    }, OPEN_TIMEOUT_MS);
    timer.unref();
    return stream;
  }

  #broken(calls: MuxChat[], error: grpc.ServiceError | undefined): void {
    if (error?.code === grpc.status.UNIMPLEMENTED) {
      this.legacy = true;
      for (const chat of calls) chat.finish(MuxPool.FALLBACK);
      return;
    }
    // The connection dropped (llm-proxy killed or gone): until a stream is taken again, calls fail at once
    // rather than wait out a new stream's open timeout while the channel cycles through its reconnects.
    if (error?.code === grpc.status.UNAVAILABLE) this.#down = true;
    for (const chat of calls) {
      if (chat.ended) continue;
      if (!chat.received && !chat.retried) {
        chat.retried = true;
        this.start(chat);
      } else chat.finish(llmProxyUnavailable());
    }
  }
}
