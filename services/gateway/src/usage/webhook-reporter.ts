import type { Logger } from '@nachos/common';
import type { Secret } from '@nachos/plugin-sdk';
import type { UsageRecord } from './usage-record.js';
import type { UsageReporter } from './usage-reporter.js';

export interface WebhookReporterOptions {
  name: string;
  url: string;
  /** Sent as `Authorization: Bearer …` when set. */
  token: Secret | undefined;
  timeoutMs: number;
  /** Records per POST. */
  batchSize: number;
  /** `object` posts each record on its own as a JSON object (batchSize is then 1), `array` a batch as a JSON array. */
  format: 'array' | 'object';
  /** Longest a record waits for its batch to fill. */
  flushIntervalMs: number;
  /** Records held at most; beyond it the oldest are dropped (and counted). */
  maxQueue: number;
  /** Attempts after the first for one batch. */
  maxRetries: number;
  /** First backoff; each retry doubles it (full jitter), up to 30 s. */
  backoffBaseMs: number;
  logger: Logger;
  onResult: (result: 'sent' | 'failed' | 'dropped', count: number) => void;
  fetch?: typeof globalThis.fetch;
}

const MAX_BACKOFF_MS = 30_000;

/**
 * POSTs usage records to a webhook as a JSON array, in batches (or one JSON object per record). Requests only ever enqueue: one batch is
 * in flight at a time, a failed batch is retried with jittered exponential backoff (5xx, 408, 429 and
 * network errors; other 4xx mean the receiver refuses the payload and are not retried), and a full queue
 * drops its oldest records rather than grow. The URL is never logged (it may carry a token).
 */
export class WebhookReporter implements UsageReporter {
  readonly name: string;
  readonly #options: WebhookReporterOptions;
  readonly #fetch: typeof globalThis.fetch;
  readonly #queue: UsageRecord[] = [];
  #timer: NodeJS.Timeout | undefined;
  #sending: Promise<void> | undefined;
  #closing = false;

  constructor(options: WebhookReporterOptions) {
    this.name = options.name;
    this.#options = options;
    this.#fetch = options.fetch ?? globalThis.fetch;
  }

  report(record: UsageRecord): void {
    this.#queue.push(record);
    if (this.#queue.length > this.#options.maxQueue) {
      const dropped = this.#queue.splice(0, this.#queue.length - this.#options.maxQueue).length;
      this.#options.onResult('dropped', dropped);
    }
    if (this.#queue.length >= this.#options.batchSize) this.#kick();
    else this.#timer ??= setTimeout(() => this.#kick(), this.#options.flushIntervalMs).unref();
  }

  async close(timeoutMs: number): Promise<void> {
    this.#closing = true;
    const deadline = Date.now() + timeoutMs;
    while ((this.#queue.length > 0 || this.#sending) && Date.now() < deadline) {
      this.#kick();
      await Promise.race([this.#sending, new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())).unref())]);
    }
  }

  #kick(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#sending || this.#queue.length === 0) return;
    this.#sending = this.#drain().finally(() => {
      this.#sending = undefined;
      if (this.#queue.length > 0) this.#kick();
    });
  }

  async #drain(): Promise<void> {
    const batch = this.#queue.splice(0, this.#options.batchSize);
    for (let attempt = 0; ; attempt += 1) {
      const result = await this.#post(batch);
      if (result === 'sent') {
        this.#options.onResult('sent', batch.length);
        return;
      }
      if (result === 'refused' || attempt >= this.#options.maxRetries || this.#closing) {
        this.#options.onResult('failed', batch.length);
        return;
      }
      const ceiling = Math.min(MAX_BACKOFF_MS, this.#options.backoffBaseMs * 2 ** attempt);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling).unref());
    }
  }

  async #post(batch: readonly UsageRecord[]): Promise<'sent' | 'retry' | 'refused'> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.#options.token) headers.authorization = `Bearer ${this.#options.token.reveal()}`;
    try {
      const response = await this.#fetch(this.#options.url, {
        method: 'POST',
        headers,
        body: JSON.stringify(this.#options.format === 'object' ? batch[0] : batch),
        signal: AbortSignal.timeout(this.#options.timeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return 'sent';
      const retryable = response.status >= 500 || response.status === 408 || response.status === 429;
      this.#options.logger.warn('usage webhook refused a batch', { reporter: this.name, status: response.status, records: batch.length, retrying: retryable });
      return retryable ? 'retry' : 'refused';
    } catch (error) {
      this.#options.logger.warn('usage webhook unreachable', { reporter: this.name, error: (error as Error).name, records: batch.length });
      return 'retry';
    }
  }
}
