import type * as grpc from '@grpc/grpc-js';
import type { EventLoopLag } from '@nachos/common';
import { create } from '@bufbuild/protobuf';
import { HealthCheckResponse_ServingStatus, HealthCheckResponseSchema, type HealthImplementation } from '@nachos/proto';

/** The service names this process answers health checks for; '' is the whole server. */
const KNOWN_SERVICES = new Set(['', 'nachos.llm.v1.LlmProxy']);

/**
 * The standard `grpc.health.v1.Health` service. It answers NOT_SERVING once a drain has begun, so
 * orchestrators stop sending new calls while open streams finish, and while the event loop lags beyond its
 * limit (a plugin hogging the process), so they send them elsewhere until it recovers.
 */
export class HealthState {
  #serving = true;
  readonly #lag: EventLoopLag | undefined;

  constructor(lag?: EventLoopLag) {
    this.#lag = lag;
  }
  readonly #watchers = new Set<grpc.ServerWritableStream<unknown, unknown>>();
  readonly #drainListeners = new Set<() => void>();

  get serving(): boolean {
    return this.#serving;
  }

  /** How late the event loop runs now, in ms, when it is past its limit; undefined otherwise. */
  get lagging(): number | undefined {
    return this.#lag?.high ? this.#lag.lagMs : undefined;
  }

  setNotServing(): void {
    this.#serving = false;
    for (const watcher of this.#watchers) watcher.write(this.#response(''));
    for (const listener of this.#drainListeners) listener();
  }

  /** Calls `listener` when the drain begins (long-lived streams end once idle); returns the unsubscribe. */
  onNotServing(listener: () => void): () => void {
    this.#drainListeners.add(listener);
    return () => this.#drainListeners.delete(listener);
  }

  implementation(): HealthImplementation {
    return {
      check: (call, callback) => callback(null, this.#response(call.request.service)),
      watch: (call) => {
        call.write(this.#response(call.request.service));
        this.#watchers.add(call as grpc.ServerWritableStream<unknown, unknown>);
        call.on('cancelled', () => this.#watchers.delete(call as grpc.ServerWritableStream<unknown, unknown>));
      },
    };
  }

  #response(service: string) {
    const status = !KNOWN_SERVICES.has(service)
      ? HealthCheckResponse_ServingStatus.SERVICE_UNKNOWN
      : this.#serving && !this.#lag?.high
        ? HealthCheckResponse_ServingStatus.SERVING
        : HealthCheckResponse_ServingStatus.NOT_SERVING;
    return create(HealthCheckResponseSchema, { status });
  }
}
