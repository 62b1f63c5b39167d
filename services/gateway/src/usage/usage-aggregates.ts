import { BoundedLabel } from '../metrics/bounded-label.js';
import type { UsageRecord } from './usage-record.js';

export interface UsageTotals {
  requests: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  refused: number;
  input_tokens: number;
  output_tokens: number;
  cached_tokens: number;
  reasoning_tokens: number;
  total_tokens: number;
}

/** Distinct models tracked before the rest are added up under `other`. */
const MODEL_CAPACITY = 500;

/**
 * Running totals of this replica's usage since it started, overall, per key and per model, for the admin
 * endpoint. Memory is bounded: keys come from configuration, models are capped.
 */
export class UsageAggregates {
  readonly since = new Date();
  readonly #total = emptyTotals();
  readonly #byKey = new Map<string, UsageTotals>();
  readonly #byModel = new Map<string, UsageTotals>();
  readonly #models = new BoundedLabel(MODEL_CAPACITY);

  add(record: UsageRecord): void {
    const model = this.#models.value(record.resolved_model ?? record.requested_model ?? 'unknown');
    for (const totals of [this.#total, entry(this.#byKey, record.key_name), entry(this.#byModel, model)]) addTo(totals, record);
  }

  snapshot(): { since: string; totals: UsageTotals; by_key: Record<string, UsageTotals>; by_model: Record<string, UsageTotals> } {
    return {
      since: this.since.toISOString(),
      totals: { ...this.#total },
      by_key: Object.fromEntries(this.#byKey),
      by_model: Object.fromEntries(this.#byModel),
    };
  }
}

function emptyTotals(): UsageTotals {
  return { requests: 0, succeeded: 0, failed: 0, cancelled: 0, refused: 0, input_tokens: 0, output_tokens: 0, cached_tokens: 0, reasoning_tokens: 0, total_tokens: 0 };
}

function entry(map: Map<string, UsageTotals>, key: string): UsageTotals {
  let totals = map.get(key);
  if (!totals) {
    totals = emptyTotals();
    map.set(key, totals);
  }
  return totals;
}

function addTo(totals: UsageTotals, record: UsageRecord): void {
  totals.requests += 1;
  if (record.outcome === 'success') totals.succeeded += 1;
  else if (record.outcome === 'error') totals.failed += 1;
  else if (record.outcome === 'cancelled') totals.cancelled += 1;
  else totals.refused += 1;
  totals.input_tokens += record.input_tokens;
  totals.output_tokens += record.output_tokens;
  totals.cached_tokens += record.cached_tokens;
  totals.reasoning_tokens += record.reasoning_tokens;
  totals.total_tokens += record.total_tokens;
}
