import { BoundedLabel } from '../../metrics/bounded-label.js';
import type { UsageRecord } from '../usage-record.js';
import { SCALE_MS, type BucketIncrement, type BucketScale, type HistoryBackend } from './history-backend.js';
import { add, cleanName, countRecord, type BucketCounters } from './history-counters.js';

/** How often this replica's counts are added to the shared store. */
const FLUSH_INTERVAL_MS = 5_000;
/** Distinct names per dimension tracked before the rest are added up under `other`, as in the metrics. */
const NAME_CAPACITY = 500;

export interface UsageHistoryOptions {
  backend: HistoryBackend;
  retentionMs: number;
  /** Told when a flush fails and when one succeeds again (counts are kept and retried meanwhile). */
  onFlushResult?: (error: Error | undefined) => void;
}

/**
 * Per-minute (and per-hour) usage counters behind the admin console's charts and tables, fed by every
 * finished request's usage record. Recording only adds to counters in memory; a timer adds them to the
 * store every few seconds in one round trip, so the request path never waits on Redis. Reads add what
 * this replica has not flushed yet, so its own latest requests show at once.
 */
export class UsageHistory {
  readonly #backend: HistoryBackend;
  readonly #retentionMs: number;
  readonly #onFlushResult: ((error: Error | undefined) => void) | undefined;
  #pending = new Map<number, BucketCounters>();
  readonly #labels = { model: new BoundedLabel(NAME_CAPACITY), provider: new BoundedLabel(NAME_CAPACITY), endpoint: new BoundedLabel(NAME_CAPACITY) };
  readonly #timer: NodeJS.Timeout;
  #failing = false;
  #flushing: Promise<void> | undefined;

  constructor(options: UsageHistoryOptions) {
    this.#backend = options.backend;
    this.#retentionMs = options.retentionMs;
    this.#onFlushResult = options.onFlushResult;
    this.#timer = setInterval(() => void this.flush(), FLUSH_INTERVAL_MS);
    this.#timer.unref();
  }

  record(record: UsageRecord): void {
    const minute = floorTo(Date.parse(record.timestamp) || Date.now(), SCALE_MS.minute);
    let counters = this.#pending.get(minute);
    if (!counters) {
      counters = new Map();
      this.#pending.set(minute, counters);
    }
    countRecord(counters, record, {
      key: cleanName(record.key_name),
      model: this.#labels.model.value(cleanName(record.resolved_model ?? record.requested_model)),
      provider: this.#labels.provider.value(cleanName(record.provider)),
      endpoint: this.#labels.endpoint.value(cleanName(record.endpoint)),
    });
  }

  /** The counters of the buckets of `scale` starting at `starts`: the store's, plus this replica's unflushed ones. */
  async buckets(scale: BucketScale, starts: readonly number[]): Promise<BucketCounters[]> {
    const stored = await this.#backend.read(scale, starts);
    const index = new Map(starts.map((start, position) => [start, position]));
    for (const [minute, counters] of this.#pending) {
      const position = index.get(floorTo(minute, SCALE_MS[scale]));
      if (position === undefined) continue;
      for (const [field, amount] of counters) add(stored[position] as BucketCounters, field, amount);
    }
    return stored;
  }

  /** Adds what was counted since the last flush to the store; on failure keeps it for the next one. */
  flush(): Promise<void> {
    this.#flushing ??= this.#flush().finally(() => (this.#flushing = undefined));
    return this.#flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
    this.#backend.close();
  }

  async #flush(): Promise<void> {
    if (this.#pending.size === 0) return;
    const taken = this.#pending;
    this.#pending = new Map();
    try {
      await this.#backend.add(incrementsOf(taken));
      if (this.#failing) this.#onFlushResult?.(undefined);
      this.#failing = false;
    } catch (error) {
      const oldest = Date.now() - this.#retentionMs;
      for (const [minute, counters] of taken) {
        if (minute < oldest) continue;
        const current = this.#pending.get(minute);
        if (!current) this.#pending.set(minute, counters);
        else for (const [field, amount] of counters) add(current, field, amount);
      }
      if (!this.#failing) this.#onFlushResult?.(error as Error);
      this.#failing = true;
    }
  }
}

/** Each pending minute as it is, and the minutes added up into their hours. */
function incrementsOf(pending: Map<number, BucketCounters>): BucketIncrement[] {
  const increments: BucketIncrement[] = [];
  const hours = new Map<number, BucketCounters>();
  for (const [minute, counters] of pending) {
    increments.push({ scale: 'minute', startMs: minute, counters });
    const hour = floorTo(minute, SCALE_MS.hour);
    let hourCounters = hours.get(hour);
    if (!hourCounters) {
      hourCounters = new Map();
      hours.set(hour, hourCounters);
    }
    for (const [field, amount] of counters) add(hourCounters, field, amount);
  }
  for (const [hour, counters] of hours) increments.push({ scale: 'hour', startMs: hour, counters });
  return increments;
}

export function floorTo(milliseconds: number, step: number): number {
  return Math.floor(milliseconds / step) * step;
}
