import type { Counter, Gauge } from 'prom-client';

/** One label combination's running value, kept by the gateway between scrapes. */
export interface CountedSeries<L extends string> {
  readonly labels: Readonly<Record<L, string>>;
  value: number;
}

/**
 * A counter's or gauge's values per label combination, in the order each combination was first counted,
 * which is the order prom-client lists them in. prom-client checks and hashes the labels on every inc()
 * (even through a `labels()` child); here a request adds to a series it already holds, and the totals are
 * handed to prom-client only when `/metrics` is read, from the metric's `collect`.
 */
export class SeriesCounts<L extends string> {
  readonly #series: CountedSeries<L>[] = [];

  /** A new series, listed from now on; callers keep it and look it up themselves. */
  add(labels: Readonly<Record<L, string>>): CountedSeries<L> {
    const series = { labels, value: 0 };
    this.#series.push(series);
    return series;
  }

  fillCounter(counter: Counter<L>): void {
    counter.reset();
    for (const series of this.#series) counter.inc(series.labels, series.value);
  }

  fillGauge(gauge: Gauge<L>): void {
    gauge.reset();
    for (const series of this.#series) gauge.set(series.labels, series.value);
  }
}
