import type { RangeBuckets } from './history-range.js';
import { SCALE_MS } from './history-backend.js';
import {
  GROUPED_DIMENSIONS,
  HISTORY_METRICS,
  parseField,
  TTFT_BOUNDS_MS,
  ttftField,
  ttftQuantile,
  type BucketCounters,
  type HistoryMetric,
} from './history-counters.js';

type Totals = Record<HistoryMetric | 'total_tokens', number>;

export interface HistoryGroup extends Totals {
  name: string;
  /** Requests and tokens per bucket, for charts. */
  series: { requests: number[]; total_tokens: number[] };
}

export interface HistorySummary {
  range: string;
  step_ms: number;
  /** Each bucket's start, epoch milliseconds. */
  times: number[];
  series: Record<HistoryMetric | 'total_tokens', number[]> & { ttft_p50_ms: Array<number | null>; ttft_p95_ms: Array<number | null> };
  totals: Totals & { ttft_p50_ms: number | null; ttft_p95_ms: number | null };
  /** By gateway key, model, provider and endpoint, most requests first. */
  groups: Record<string, HistoryGroup[]>;
}

/** Turns a range's bucket counters into what the console draws: overall series and totals, and per-group rows. */
export function summarizeHistory(range: RangeBuckets, buckets: readonly BucketCounters[]): HistorySummary {
  const size = buckets.length;
  const series = {
    ...(Object.fromEntries([...HISTORY_METRICS, 'total_tokens'].map((metric) => [metric, new Array<number>(size).fill(0)])) as Record<
      HistoryMetric | 'total_tokens',
      number[]
    >),
    ttft_p50_ms: new Array<number | null>(size).fill(null),
    ttft_p95_ms: new Array<number | null>(size).fill(null),
  };
  const groups = new Map<string, Map<string, HistoryGroup>>(GROUPED_DIMENSIONS.map((dimension) => [dimension, new Map()]));
  const ttftTotal = new Array<number>(TTFT_BOUNDS_MS.length + 1).fill(0);
  buckets.forEach((counters, position) => {
    const ttft = ttftTotal.map((_zero, bucket) => counters.get(ttftField(bucket)) ?? 0);
    ttft.forEach((count, bucket) => (ttftTotal[bucket] = (ttftTotal[bucket] as number) + count));
    series.ttft_p50_ms[position] = ttftQuantile(ttft, 0.5);
    series.ttft_p95_ms[position] = ttftQuantile(ttft, 0.95);
    for (const [field, amount] of counters) {
      const parsed = parseField(field);
      if (!parsed || !(HISTORY_METRICS as readonly string[]).includes(parsed.metric)) continue;
      const metric = parsed.metric as HistoryMetric;
      const isTokens = metric === 'input_tokens' || metric === 'output_tokens';
      if (parsed.dimension === 'all') {
        bump(series[metric], position, amount);
        if (isTokens) bump(series.total_tokens, position, amount);
        continue;
      }
      const byName = groups.get(parsed.dimension);
      if (!byName) continue;
      let group = byName.get(parsed.name);
      if (!group) {
        group = { name: parsed.name, requests: 0, failures: 0, input_tokens: 0, output_tokens: 0, total_tokens: 0, series: { requests: new Array<number>(size).fill(0), total_tokens: new Array<number>(size).fill(0) } };
        byName.set(parsed.name, group);
      }
      group[metric] += amount;
      if (metric === 'requests') bump(group.series.requests, position, amount);
      if (isTokens) {
        group.total_tokens += amount;
        bump(group.series.total_tokens, position, amount);
      }
    }
  });
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  return {
    range: range.range,
    step_ms: SCALE_MS[range.scale],
    times: [...range.starts],
    series,
    totals: {
      requests: sum(series.requests),
      failures: sum(series.failures),
      input_tokens: sum(series.input_tokens),
      output_tokens: sum(series.output_tokens),
      total_tokens: sum(series.total_tokens),
      ttft_p50_ms: ttftQuantile(ttftTotal, 0.5),
      ttft_p95_ms: ttftQuantile(ttftTotal, 0.95),
    },
    groups: Object.fromEntries(
      [...groups].map(([dimension, byName]) => [dimension, [...byName.values()].sort((a, b) => b.requests - a.requests || a.name.localeCompare(b.name))]),
    ),
  };
}

function bump(values: number[], position: number, amount: number): void {
  values[position] = (values[position] ?? 0) + amount;
}
