import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import type { UsageHistory } from './history/usage-history.js';
import type { UsageAggregates } from './usage-aggregates.js';
import type { UsageRecord } from './usage-record.js';
import type { UsageReporter } from './usage-reporter.js';

/**
 * Where each finished request's record goes: metrics, aggregates and the history always, reporters when
 * `[usage] enabled`.
 */
export class UsageSink {
  readonly aggregates: UsageAggregates;
  readonly history: UsageHistory;
  readonly #metrics: GatewayMetrics;
  readonly #reporters: readonly UsageReporter[];

  constructor(metrics: GatewayMetrics, aggregates: UsageAggregates, history: UsageHistory, reporters: readonly UsageReporter[]) {
    this.#metrics = metrics;
    this.aggregates = aggregates;
    this.history = history;
    this.#reporters = reporters;
  }

  record(record: UsageRecord): void {
    this.#metrics.observeRequest(record);
    this.aggregates.add(record);
    this.history.record(record);
    for (const reporter of this.#reporters) reporter.report(record);
  }

  async close(timeoutMs: number): Promise<void> {
    await Promise.all([this.history.close(), ...this.#reporters.map((reporter) => reporter.close(timeoutMs))]);
  }
}
