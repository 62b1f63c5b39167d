import { createHistogram, performance, type RecordableHistogram } from 'node:perf_hooks';

/** How often the worst delay is taken and the measurement restarted. */
const WINDOW_MS = 1_000;

/** How often the fine sampler looks, while it runs. */
const SAMPLE_MS = 20;

/**
 * The share of a window the process must have spent on the CPU for the fine sampler to run on into the next
 * one. Each of its samples is a wake-up (tens of µs on a small VM): fifty a second are noise beside real
 * work, but they were most of what an idle service spent. CPU time, not the loop's utilization: on a crowded
 * machine a wake-up's wall time, which utilization counts, stretches while the process waits for a core, and
 * the sampler's own wake-ups then read as work that keeps it running (measured beside four busy processes: a
 * window at 1.4 % utilization for 0.3 % of CPU started it, and it then held itself at about 1 %). Its own
 * cost is 0.1-0.3 % of a core on a quiet machine and up to about 1 % on a crowded one, well under this.
 */
const SAMPLING_CPU_SHARE = 0.05;

/**
 * Watches how late this process's event loop runs, by how late two timers of its own fire: a window timer
 * every second, and a sampler every 20 ms. The lag is the worst delay of the last full window or of the
 * current one, so after a long block — a plugin in a busy loop, say — it reads high for about a window more
 * before it settles. A timer that is due and has not run yet counts too, by how late it is now: after a
 * stall (a process stopped or starved by a saturated machine), the timers that fell due run in no set
 * order, and one that reads the lag first — a first-token timeout judging whose fault it was — must see
 * the stall all the same.
 *
 * The sampler runs from the moment work comes in ({@link noteWork}) until a window passes in which none
 * came and the process hardly worked (see SAMPLING_CPU_SHARE): an idle process wakes once a second, a block
 * that a request causes (a huge body's parse) is measured to within a sample, and a stall that begins while
 * nothing is asked of the process still shows, to within a window, through the window's timer. Readiness
 * reports not-ready while the lag is above `limitMs` (0 turns that off). What one Node process cannot do:
 * answer anything, health checks included, while its loop is blocked; that is what liveness checks with a
 * timeout are for.
 */
export class EventLoopLag {
  readonly limitMs: number;
  /**
   * Every delay the two timers saw, in nanoseconds, for the `nodejs_eventloop_lag_*` gauges (see
   * event-loop-delay-metrics.ts); whoever reads it resets it.
   */
  readonly delays: RecordableHistogram = createHistogram();
  readonly #window: NodeJS.Timeout;
  /** Made on the first sample and re-armed with refresh(): no timer object per sample. */
  #sampler: NodeJS.Timeout | undefined;
  #lastWindowMs = 0;
  /** The worst delay the sampler has seen in this window. */
  #windowMaxMs = 0;
  /** When the window's timer is due (performance.now()). */
  #windowDue = performance.now() + WINDOW_MS;
  /** When the sampler is due, while it runs. */
  #sampleDue = 0;
  #sampling = false;
  #stopped = false;
  /** Work came in during this window. */
  #noted = false;
  /** The process's CPU time (µs) and the time when the window last turned. */
  #cpuAtTurn = cpuMicros();
  #turnedAt = performance.now();

  constructor(limitMs: number) {
    this.limitMs = limitMs;
    this.#window = setInterval(() => this.#turnWindow(), WINDOW_MS).unref();
  }

  /** Work came in (a request, a call): sample from now on, so that whatever it blocks is measured. */
  noteWork(): void {
    this.#noted = true;
    if (!this.#sampling) this.#startSampling();
  }

  /** The worst event-loop delay lately, in whole milliseconds. */
  get lagMs(): number {
    return Math.round(Math.max(0, this.#lastWindowMs, this.#windowMaxMs, this.#overdueMs()));
  }

  get high(): boolean {
    return this.limitMs > 0 && this.lagMs > this.limitMs;
  }

  stop(): void {
    this.#stopped = true;
    this.#sampling = false;
    clearInterval(this.#window);
    clearTimeout(this.#sampler);
  }

  #startSampling(): void {
    if (this.#stopped) return;
    this.#sampling = true;
    this.#sampleDue = performance.now() + SAMPLE_MS;
    if (this.#sampler) this.#sampler.refresh();
    else this.#sampler = setTimeout(() => this.#sample(), SAMPLE_MS).unref();
  }

  #sample(): void {
    const now = performance.now();
    this.#record(now - this.#sampleDue);
    if (!this.#sampling) return;
    this.#sampleDue = now + SAMPLE_MS;
    this.#sampler?.refresh();
  }

  #turnWindow(): void {
    const now = performance.now();
    this.#record(now - this.#windowDue);
    this.#lastWindowMs = this.#windowMaxMs;
    this.#windowMaxMs = 0;
    this.#windowDue = now + WINDOW_MS;
    const used = cpuMicros();
    const worked = this.#noted || (used - this.#cpuAtTurn) / 1000 >= SAMPLING_CPU_SHARE * (now - this.#turnedAt);
    this.#cpuAtTurn = used;
    this.#turnedAt = now;
    this.#noted = false;
    // A sampler left without work stops at its next sample.
    if (!worked) this.#sampling = false;
    else if (!this.#sampling) this.#startSampling();
  }

  #record(delayMs: number): void {
    this.#windowMaxMs = Math.max(this.#windowMaxMs, delayMs);
    // A timer that fired on time (or a hair early, by the loop's cached clock) is a delay of about nothing.
    this.delays.record(Math.max(1, Math.round(delayMs * 1e6)));
  }

  /** How late a timer of ours that is due and has not run yet is now: a delay no sample has taken yet. */
  #overdueMs(): number {
    const now = performance.now();
    return Math.max(now - this.#windowDue, this.#sampling ? now - this.#sampleDue : 0);
  }
}

function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}
