import type { BucketCounters } from './history-counters.js';
import { add } from './history-counters.js';
import { SCALE_MS, type BucketIncrement, type BucketScale, type HistoryBackend } from './history-backend.js';

/** Usage history of this process alone, for a gateway without Redis; buckets older than the retention are dropped. */
export class MemoryHistoryBackend implements HistoryBackend {
  readonly #retentionMs: number;
  readonly #buckets: Record<BucketScale, Map<number, BucketCounters>> = { minute: new Map(), hour: new Map() };

  constructor(retentionMs: number) {
    this.#retentionMs = retentionMs;
  }

  async add(increments: readonly BucketIncrement[]): Promise<void> {
    for (const increment of increments) {
      const buckets = this.#buckets[increment.scale];
      let counters = buckets.get(increment.startMs);
      if (!counters) {
        counters = new Map();
        buckets.set(increment.startMs, counters);
      }
      for (const [field, amount] of increment.counters) add(counters, field, amount);
    }
    this.#prune(Date.now());
  }

  async read(scale: BucketScale, starts: readonly number[]): Promise<BucketCounters[]> {
    return starts.map((start) => new Map(this.#buckets[scale].get(start) ?? []));
  }

  close(): void {}

  #prune(now: number): void {
    for (const scale of ['minute', 'hour'] as const) {
      // Maps iterate in insertion order, and buckets are created as time goes on: the oldest come first.
      for (const start of this.#buckets[scale].keys()) {
        if (start + SCALE_MS[scale] > now - this.#retentionMs) break;
        this.#buckets[scale].delete(start);
      }
    }
  }
}
