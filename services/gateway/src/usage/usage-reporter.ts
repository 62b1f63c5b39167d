import type { UsageRecord } from './usage-record.js';

/** Somewhere usage records go. `report` never blocks or throws: a slow or broken receiver costs no request. */
export interface UsageReporter {
  readonly name: string;
  report(record: UsageRecord): void;
  /** Sends what is queued, within `timeoutMs`, at shutdown. */
  close(timeoutMs: number): Promise<void>;
}
