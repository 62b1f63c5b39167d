import perfHooks, { type IntervalHistogram } from 'node:perf_hooks';
import type { EventLoopLag } from './event-loop-lag.js';

/**
 * Runs `register` (prom-client's `collectDefaultMetrics`) so that its `nodejs_eventloop_lag_{min,max,mean,
 * stddev,p50,p90,p99}_seconds` gauges read the delays `lag` measures instead of a histogram of their own.
 * prom-client samples with `monitorEventLoopDelay` every 10 ms for as long as the process lives: a hundred
 * wake-ups a second in a service that has nothing to do, beside the lag monitor's own sampling. Sampling
 * more rarely (its `eventLoopMonitoringPrecision`) is no cure: Node records the time between samples, not
 * how late each came, so at one sample a second every gauge reads a second. The gauges now show how late the
 * monitor's timers fired (about nothing on a quiet loop, the block on a blocked one), from samples taken
 * every 20 ms while there is work and once a second while there is none. prom-client looks the function up
 * when it registers its gauges, so it is replaced for that call only.
 */
export function withEventLoopDelays<T>(lag: EventLoopLag, register: () => T): T {
  const own = perfHooks.monitorEventLoopDelay;
  perfHooks.monitorEventLoopDelay = () => delaysOf(lag);
  try {
    return register();
  } finally {
    perfHooks.monitorEventLoopDelay = own;
  }
}

/** The monitor's delays as the histogram prom-client asked for; sampling is the monitor's business. */
function delaysOf(lag: EventLoopLag): IntervalHistogram {
  const { delays } = lag;
  // Read between two samples (two scrapes within a second), an empty histogram says what a quiet loop would.
  const read = (value: () => number): number => (delays.count === 0 ? 0 : value());
  const view = {
    enable: () => true,
    disable: () => true,
    get min() {
      return read(() => delays.min);
    },
    get max() {
      return read(() => delays.max);
    },
    get mean() {
      return read(() => delays.mean);
    },
    get stddev() {
      return read(() => delays.stddev);
    },
    percentile: (percentile: number) => read(() => delays.percentile(percentile)),
    reset: () => delays.reset(),
  };
  // What prom-client uses of the histogram it asked for; it touches nothing else of Node's interface.
  return view as unknown as IntervalHistogram;
}
