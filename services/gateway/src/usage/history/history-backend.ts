import type { BucketCounters } from './history-counters.js';

/** Minute buckets feed the last hour's charts; hour buckets the day and week ranges. */
export type BucketScale = 'minute' | 'hour';

export const SCALE_MS: Readonly<Record<BucketScale, number>> = { minute: 60_000, hour: 3_600_000 };

/** Counters to add to one bucket. */
export interface BucketIncrement {
  scale: BucketScale;
  startMs: number;
  counters: BucketCounters;
}

/** Where usage history is kept: Redis (shared by every replica) or this process's memory. */
export interface HistoryBackend {
  /** Adds each increment to its bucket; rejects when the store could not take them. */
  add(increments: readonly BucketIncrement[]): Promise<void>;
  /** The counters of each bucket, in the order asked (empty when it holds nothing). */
  read(scale: BucketScale, starts: readonly number[]): Promise<BucketCounters[]>;
  close(): void;
}
