import { parseInterval, readSecretEnv, type Environment, type Logger, type UsageReporterConfig } from '@nachos/common';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { LogReporter } from './log-reporter.js';
import type { UsageReporter } from './usage-reporter.js';
import { WebhookReporter } from './webhook-reporter.js';

/** Builds `[[usage.reporters]]`; a webhook's token is read from its `token_env` (or `_FILE`) now, at start-up. */
export function createUsageReporters(
  configs: readonly UsageReporterConfig[],
  dependencies: { env: Environment; logger: Logger; metrics: GatewayMetrics },
): UsageReporter[] {
  return configs.map((config) => {
    if (config.type === 'log') return new LogReporter(config.name, dependencies.logger);
    return new WebhookReporter({
      name: config.name,
      url: config.url as string,
      token: config.token_env ? readSecretEnv(dependencies.env, config.token_env) : undefined,
      timeoutMs: parseInterval(config.timeout) ?? 5_000,
      batchSize: config.format === 'object' ? 1 : Math.max(1, config.batch_size ?? 20),
      format: config.format ?? 'array',
      flushIntervalMs: parseInterval(config.flush_interval) ?? 1_000,
      maxQueue: Math.max(1, config.max_queue ?? 10_000),
      maxRetries: config.max_retries ?? 5,
      backoffBaseMs: 500,
      logger: dependencies.logger,
      onResult: (result, count) => dependencies.metrics.usageReported(config.name, result, count),
    });
  });
}
