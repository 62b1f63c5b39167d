import { SCALE_MS, type BucketScale } from './history-backend.js';
import { floorTo } from './usage-history.js';

/** The ranges the console offers: the last hour by minute; the last day, yesterday (UTC) and the last week by hour. */
export const HISTORY_RANGES = ['hour', 'day', 'yesterday', 'week'] as const;
export type HistoryRange = (typeof HISTORY_RANGES)[number];

export interface RangeBuckets {
  range: HistoryRange;
  scale: BucketScale;
  starts: number[];
}

export function isHistoryRange(value: unknown): value is HistoryRange {
  return typeof value === 'string' && (HISTORY_RANGES as readonly string[]).includes(value);
}

export function bucketsOf(range: HistoryRange, now: number): RangeBuckets {
  switch (range) {
    case 'hour':
      return { range, scale: 'minute', starts: steps(floorTo(now, SCALE_MS.minute), 60, SCALE_MS.minute) };
    case 'day':
      return { range, scale: 'hour', starts: steps(floorTo(now, SCALE_MS.hour), 24, SCALE_MS.hour) };
    case 'week':
      return { range, scale: 'hour', starts: steps(floorTo(now, SCALE_MS.hour), 168, SCALE_MS.hour) };
    case 'yesterday': {
      const midnight = floorTo(now, 86_400_000);
      return { range, scale: 'hour', starts: steps(midnight - SCALE_MS.hour, 24, SCALE_MS.hour) };
    }
  }
}

/** `count` bucket starts ending with `last`, oldest first. */
function steps(last: number, count: number, step: number): number[] {
  return Array.from({ length: count }, (_unused, index) => last - (count - 1 - index) * step);
}
