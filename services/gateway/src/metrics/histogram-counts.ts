import type { Histogram } from 'prom-client';

/** One label combination's observations, kept by the gateway between scrapes: per-bucket counts, sum and count. */
export class ObservedSeries<L extends string> {
  readonly labels: Readonly<Record<L, string>>;
  /** Observations at or below each upper bound and above the one before it; above the last, only `count` has them. */
  readonly buckets: Float64Array;
  sum = 0;
  count = 0;
  readonly #upperBounds: readonly number[];

  constructor(labels: Readonly<Record<L, string>>, upperBounds: readonly number[]) {
    this.labels = labels;
    this.#upperBounds = upperBounds;
    this.buckets = new Float64Array(upperBounds.length);
  }

  /** As prom-client observes: the first bucket whose upper bound is at least the value, the sum in arrival order. */
  observe(value: number): void {
    const bounds = this.#upperBounds;
    let index = 0;
    while (index < bounds.length && value > bounds[index]!) index += 1;
    if (index < bounds.length) this.buckets[index]! += 1;
    this.sum += value;
    this.count += 1;
  }
}

/** What prom-client 15 keeps per label set of a histogram: the one field its public API cannot set. */
interface HistogramEntry {
  bucketValues: Record<number, number>;
  sum: number;
  count: number;
}

/**
 * A histogram's series, in the order each was first observed, which is the order prom-client lists them
 * in. prom-client checks and hashes the labels on every observe() (even through a `labels()` child); here a
 * request observes into a series it already holds, and the counts are handed to prom-client only when
 * `/metrics` is read, from the histogram's `collect`.
 */
export class HistogramCounts<L extends string> {
  readonly upperBounds: readonly number[];
  readonly #series: ObservedSeries<L>[] = [];

  constructor(upperBounds: readonly number[]) {
    this.upperBounds = upperBounds;
  }

  /** A new series, listed from now on; callers keep it and look it up themselves. */
  add(labels: Readonly<Record<L, string>>): ObservedSeries<L> {
    const series = new ObservedSeries(labels, this.upperBounds);
    this.#series.push(series);
    return series;
  }

  /**
   * prom-client makes each series' entry (zero() is public and keys it as observe() would) and lists the
   * entries in the order they were made; only the counts are written into them, as observe() leaves them.
   */
  fillHistogram(histogram: Histogram<L>): void {
    histogram.reset();
    for (const series of this.#series) histogram.zero(series.labels);
    const entries = Object.values((histogram as unknown as { hashMap: Record<string, HistogramEntry> }).hashMap);
    for (let index = 0; index < entries.length; index++) {
      const entry = entries[index]!;
      const series = this.#series[index]!;
      for (let bound = 0; bound < this.upperBounds.length; bound++) entry.bucketValues[this.upperBounds[bound]!] = series.buckets[bound]!;
      entry.sum = series.sum;
      entry.count = series.count;
    }
  }
}
