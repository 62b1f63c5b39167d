import type { Logger } from '@nachos/common';
import type { UsageRecord } from './usage-record.js';
import type { UsageReporter } from './usage-reporter.js';

/** Writes each usage record as one `usage` log line, for log pipelines that do the billing. */
export class LogReporter implements UsageReporter {
  readonly name: string;
  readonly #logger: Logger;

  constructor(name: string, logger: Logger) {
    this.name = name;
    this.#logger = logger;
  }

  report(record: UsageRecord): void {
    this.#logger.info('usage', { reporter: this.name, ...record });
  }

  async close(): Promise<void> {}
}
