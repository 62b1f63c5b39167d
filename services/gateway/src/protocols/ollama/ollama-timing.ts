import type { StreamEvent, Usage } from '@nachos/plugin-sdk';

/** Nanoseconds from an arbitrary origin; `process.hrtime.bigint` in production, a fake in tests. */
export type NanosecondClock = () => bigint;

/** The counters and durations on Ollama's final `done: true` object, all durations in nanoseconds. */
export interface OllamaMetrics {
  total_duration: number;
  load_duration: number;
  prompt_eval_count: number;
  prompt_eval_duration: number;
  eval_count: number;
  eval_duration: number;
}

/**
 * Measures one exchange as the gateway sees it, so clients that compute speed (Open WebUI divides
 * `eval_count` by `eval_duration`) show real numbers instead of dividing by zero:
 * - load: from the request to the first event (routing and connecting upstream),
 * - prompt evaluation: from there to the first generated content (the provider's time to first token),
 * - evaluation: from the first content to the end.
 */
export class OllamaTiming {
  readonly #clock: NanosecondClock;
  readonly #receivedAt: bigint;
  #firstEventAt: bigint | undefined;
  #firstOutputAt: bigint | undefined;

  constructor(clock: NanosecondClock = () => process.hrtime.bigint()) {
    this.#clock = clock;
    this.#receivedAt = clock();
  }

  /** Notes the arrival of one event. */
  mark(event: StreamEvent): void {
    const now = this.#clock();
    this.#firstEventAt ??= now;
    if (event.type === 'text-delta' || event.type === 'reasoning-delta' || event.type === 'tool-call-start') this.#firstOutputAt ??= now;
  }

  /**
   * Passes events through, marking each as it arrives. An iterator of its own, not a generator: a
   * generator's `return` waits behind the `next` still pending, so a client gone before the first event
   * (a non-streaming call is cancelled by returning its events) would keep the upstream call until it answered.
   */
  watch(events: AsyncIterable<StreamEvent>): AsyncIterableIterator<StreamEvent> {
    const inner = events[Symbol.asyncIterator]();
    const marked = (step: IteratorResult<StreamEvent>): IteratorResult<StreamEvent> => {
      if (!step.done) this.mark(step.value);
      return step;
    };
    return {
      next: () => inner.next().then(marked),
      return: (value?: unknown) => inner.return?.(value) ?? Promise.resolve({ done: true, value: undefined }),
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  /** The metrics as of now; every duration is at least 1 ns so that no client divides by zero. */
  metrics(usage: Usage | undefined): OllamaMetrics {
    const now = this.#clock();
    const firstEventAt = this.#firstEventAt ?? now;
    const firstOutputAt = this.#firstOutputAt ?? now;
    return {
      total_duration: nanoseconds(now - this.#receivedAt),
      load_duration: nanoseconds(firstEventAt - this.#receivedAt),
      prompt_eval_count: usage?.inputTokens ?? 0,
      prompt_eval_duration: nanoseconds(firstOutputAt - firstEventAt),
      eval_count: usage?.outputTokens ?? 0,
      eval_duration: nanoseconds(now - firstOutputAt),
    };
  }
}

function nanoseconds(span: bigint): number {
  return Math.max(1, Number(span));
}
