import type { UsageRecord } from '../usage-record.js';

/** What usage is grouped by; `all` is the overall total (name `''`). */
export type HistoryDimension = 'all' | 'key' | 'model' | 'provider' | 'endpoint';
export const GROUPED_DIMENSIONS: readonly HistoryDimension[] = ['key', 'model', 'provider', 'endpoint'];

export type HistoryMetric = 'requests' | 'failures' | 'input_tokens' | 'output_tokens';
export const HISTORY_METRICS: readonly HistoryMetric[] = ['requests', 'failures', 'input_tokens', 'output_tokens'];

/** Counters of one time bucket, by field (see `fieldOf`). */
export type BucketCounters = Map<string, number>;

/**
 * Upper bounds (ms) of the time-to-first-token histogram kept per bucket for the overall total; p50 and
 * p95 are read from it. Counters add up across replicas, where samples could not.
 */
export const TTFT_BOUNDS_MS: readonly number[] = [25, 50, 100, 200, 300, 500, 750, 1_000, 1_500, 2_000, 3_000, 5_000, 10_000, 20_000, 30_000, 60_000];

/** Separates a field's parts; removed from names so a name can never forge another field. */
const SEPARATOR = '\u001f';

export function fieldOf(dimension: HistoryDimension, name: string, metric: string): string {
  return `${dimension}${SEPARATOR}${name}${SEPARATOR}${metric}`;
}

/** The overall time-to-first-token field of each bucket, the last for times past every bound. */
const TTFT_FIELDS: readonly string[] = Array.from({ length: TTFT_BOUNDS_MS.length + 1 }, (_, bucket) => fieldOf('all', '', `ttft${bucket}`));

export function parseField(field: string): { dimension: HistoryDimension; name: string; metric: string } | undefined {
  const [dimension, name, metric] = field.split(SEPARATOR);
  if (dimension === undefined || name === undefined || metric === undefined) return undefined;
  return { dimension: dimension as HistoryDimension, name, metric };
}

export function ttftField(bucket: number): string {
  return TTFT_FIELDS[bucket] ?? fieldOf('all', '', `ttft${bucket}`);
}

/** Names as they are grouped: what the record says, with the separator taken out. */
export interface RecordNames {
  key: string;
  model: string;
  provider: string;
  endpoint: string;
}

/** Adds one finished request to `counters`. */
export function countRecord(counters: BucketCounters, record: UsageRecord, names: RecordNames): void {
  countUnder(counters, 'all', '', record);
  countUnder(counters, 'key', names.key, record);
  countUnder(counters, 'model', names.model, record);
  countUnder(counters, 'provider', names.provider, record);
  countUnder(counters, 'endpoint', names.endpoint, record);
  const ttft = record.time_to_first_token_ms;
  if (ttft !== null) add(counters, ttftField(ttftBucketOf(ttft)), 1);
}

function countUnder(counters: BucketCounters, dimension: HistoryDimension, name: string, record: UsageRecord): void {
  const fields = fieldsOf(dimension, name);
  add(counters, fields.requests, 1);
  if (record.outcome === 'error') add(counters, fields.failures, 1);
  if (record.input_tokens) add(counters, fields.input_tokens, record.input_tokens);
  if (record.output_tokens) add(counters, fields.output_tokens, record.output_tokens);
}

/**
 * The field names of a name's metrics, made once per name rather than four strings per request. Names
 * are few (keys from configuration, the others capped by the history's labels); past this many in one
 * dimension they are made each time instead of kept.
 */
const KEPT_NAMES_PER_DIMENSION = 2_000;
const fieldNames = new Map<HistoryDimension, Map<string, Readonly<Record<HistoryMetric, string>>>>();

function fieldsOf(dimension: HistoryDimension, name: string): Readonly<Record<HistoryMetric, string>> {
  let byName = fieldNames.get(dimension);
  if (!byName) fieldNames.set(dimension, (byName = new Map()));
  let fields = byName.get(name);
  if (!fields) {
    fields = {
      requests: fieldOf(dimension, name, 'requests'),
      failures: fieldOf(dimension, name, 'failures'),
      input_tokens: fieldOf(dimension, name, 'input_tokens'),
      output_tokens: fieldOf(dimension, name, 'output_tokens'),
    };
    if (byName.size < KEPT_NAMES_PER_DIMENSION) byName.set(name, fields);
  }
  return fields;
}

export function cleanName(name: string | null | undefined): string {
  if (!name) return '(none)';
  return name.includes(SEPARATOR) ? name.replaceAll(SEPARATOR, ' ') : name;
}

function ttftBucketOf(milliseconds: number): number {
  const index = TTFT_BOUNDS_MS.findIndex((bound) => milliseconds <= bound);
  return index === -1 ? TTFT_BOUNDS_MS.length : index;
}

export function add(counters: BucketCounters, field: string, amount: number): void {
  counters.set(field, (counters.get(field) ?? 0) + amount);
}

/** The `quantile` (0–1) of a histogram of counts per TTFT bucket, interpolated within its bucket; null when empty. */
export function ttftQuantile(counts: readonly number[], quantile: number): number | null {
  const total = counts.reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;
  const rank = quantile * total;
  let seen = 0;
  for (let index = 0; index < counts.length; index += 1) {
    const count = counts[index] ?? 0;
    if (count > 0 && seen + count >= rank) {
      const lower = index === 0 ? 0 : (TTFT_BOUNDS_MS[index - 1] as number);
      const upper = TTFT_BOUNDS_MS[index] ?? lower * 2;
      return Math.round(lower + ((upper - lower) * (rank - seen)) / count);
    }
    seen += count;
  }
  return TTFT_BOUNDS_MS[TTFT_BOUNDS_MS.length - 1] as number;
}
