import { isoTimestamp } from '@nachos/common';
import type { StreamEvent, Usage } from '@nachos/plugin-sdk';
import { ANONYMOUS_CALLER } from '../auth/caller.js';
import type { UsageRecord } from './usage-record.js';

/** What is known about a request when it is admitted. */
export interface MeterStart {
  requestId: string;
  keyName: string;
  user: string | undefined;
  protocol: string;
  path: string;
  requestedModel: string | undefined;
  isStream: boolean;
  /** Input tokens estimated from the body, for requests that end before the upstream counts them. */
  estimatedInputTokens: number;
}

/** Where open streams are counted (the metrics' gauge). */
export interface MeterHooks {
  streamOpened(): void;
  streamClosed(): void;
}

/** How the response ended, read when it closes. */
export interface MeterEnd {
  /** The protocol the routers marked by then (the one known at admission otherwise). */
  protocol: string | undefined;
  status: number;
  /** The error kind, for failures before the first byte or in-band. */
  errorKind: string | undefined;
  /** The client went away before the response was complete. */
  clientClosed: boolean;
}

/**
 * Watches one request and produces its usage record. The chat exchange feeds it the canonical events
 * (route, usage, content), the embeddings path its token count; when the response closes, the
 * request's outcome completes it. A stream that ends without upstream usage (cancelled, failed) is
 * metered from the gateway's own estimate: the input from the request, the output from what was sent.
 */
export class UsageMeter {
  readonly #start: MeterStart;
  readonly #startedAt = Date.now();
  readonly #startedClock = performance.now();
  #engaged = false;
  #isStream: boolean;
  #route: { model?: string; provider?: string; endpoint?: string; attempts?: number } = {};
  #usage: Usage | undefined;
  #firstTokenMs: number | undefined;
  #outputCharacters = 0;
  #refused = false;
  #streamOpen = false;
  readonly #hooks: MeterHooks;

  constructor(start: MeterStart, hooks: MeterHooks) {
    this.#start = start;
    this.#hooks = hooks;
    this.#isStream = start.isStream;
  }

  /** Marks the request as one that reaches a model (or was refused on its way there): it gets a record. */
  engage(isStream?: boolean): void {
    this.#engaged = true;
    if (isStream !== undefined) this.#isStream = isStream;
  }

  /** The gateway itself refused the request (model not allowed, a limit reached); it still gets a record. */
  refuse(): void {
    this.#engaged = true;
    this.#refused = true;
  }

  get engaged(): boolean {
    return this.#engaged;
  }

  observe(event: StreamEvent): void {
    switch (event.type) {
      case 'start':
        this.#route = { model: event.model, provider: event.provider, endpoint: event.endpoint, attempts: event.attempts };
        return;
      case 'usage':
        this.#usage = event.usage;
        return;
      case 'text-delta':
      case 'reasoning-delta':
        this.#firstToken();
        this.#outputCharacters += event.text.length;
        return;
      case 'tool-call-start':
        this.#firstToken();
        this.#outputCharacters += event.name.length;
        return;
      case 'tool-call-delta':
        this.#outputCharacters += event.argumentsDelta.length;
        return;
      default:
        return;
    }
  }

  /** Embeddings: the upstream's input count and where llm-proxy sent them. */
  observeEmbedding(result: { inputTokens: number; model: string; provider: string; endpoint: string }): void {
    this.#usage = { inputTokens: result.inputTokens, outputTokens: 0 };
    this.#route = { model: result.model || undefined, provider: result.provider || undefined, endpoint: result.endpoint || undefined };
  }

  /** A streaming response has started; it counts as open until the request finishes. */
  streamOpened(): void {
    if (this.#streamOpen) return;
    this.#streamOpen = true;
    this.#hooks.streamOpened();
  }

  /** Usage for reconciling limits: upstream counts, else the estimate (only once the request engaged a model). */
  usage(): { inputTokens: number; totalTokens: number } | undefined {
    if (!this.#engaged) return undefined;
    const counted = this.#counted();
    return { inputTokens: counted.inputTokens, totalTokens: counted.inputTokens + counted.outputTokens };
  }

  finish(end: MeterEnd): UsageRecord | undefined {
    if (this.#streamOpen) {
      this.#streamOpen = false;
      this.#hooks.streamClosed();
    }
    if (!this.#engaged) return undefined;
    const counted = this.#counted();
    const resolved = this.#route.model;
    const outcome = this.#refused
      ? 'refused'
      : end.clientClosed
        ? 'cancelled'
        : end.status >= 400 || end.errorKind !== undefined
          ? 'error'
          : 'success';
    return {
      request_id: this.#start.requestId,
      // Billing receivers key on user_id: without a user named by the client, the gateway key is the user.
      user_id: this.#start.user ?? (this.#start.keyName === ANONYMOUS_CALLER ? null : this.#start.keyName),
      model: resolved ?? this.#start.requestedModel ?? '',
      prompt_tokens: counted.inputTokens,
      completion_tokens: counted.outputTokens,
      total_tokens: counted.inputTokens + counted.outputTokens,
      is_stream: this.#isStream,
      timestamp: isoTimestamp(this.#startedAt),
      key_name: this.#start.keyName,
      protocol: end.protocol ?? this.#start.protocol,
      path: this.#start.path,
      requested_model: this.#start.requestedModel ?? null,
      resolved_model: resolved ?? null,
      provider: this.#route.provider ?? null,
      endpoint: this.#route.endpoint ?? null,
      attempts: this.#route.attempts ?? null,
      input_tokens: counted.inputTokens,
      output_tokens: counted.outputTokens,
      cached_tokens: this.#usage?.cacheReadTokens ?? 0,
      cache_write_tokens: this.#usage?.cacheWriteTokens ?? 0,
      reasoning_tokens: this.#usage?.reasoningTokens ?? 0,
      usage_estimated: counted.estimated,
      outcome,
      status: end.status,
      error_kind: end.errorKind ?? (end.clientClosed ? 'cancelled' : null),
      latency_ms: Math.round(performance.now() - this.#startedClock),
      time_to_first_token_ms: this.#firstTokenMs === undefined ? null : Math.round(this.#firstTokenMs),
    };
  }

  /**
   * Upstream counts when it sent them. Otherwise an estimate, but only for requests that reached a
   * provider (a route was chosen): one refused before that used nothing.
   */
  #counted(): { inputTokens: number; outputTokens: number; estimated: boolean } {
    if (this.#usage) return { inputTokens: this.#usage.inputTokens, outputTokens: this.#usage.outputTokens, estimated: false };
    if (this.#route.provider === undefined && this.#route.model === undefined) return { inputTokens: 0, outputTokens: 0, estimated: false };
    return { inputTokens: this.#start.estimatedInputTokens, outputTokens: Math.ceil(this.#outputCharacters / 4), estimated: true };
  }

  #firstToken(): void {
    if (this.#firstTokenMs === undefined) this.#firstTokenMs = performance.now() - this.#startedClock;
  }
}
