import { logLine, type Logger } from '@nachos/common';
import { ProviderError, type StartEvent, type StreamEvent, type Usage } from '@nachos/plugin-sdk';

/** What one chat call did, for its single log line. */
export class ChatOutcome {
  readonly #startedAt = performance.now();
  model: string | undefined;
  #start: StartEvent | undefined;
  #firstEventMs: number | undefined;
  #usage: Usage | undefined;

  observe(event: StreamEvent): void {
    if (event.type === 'start') {
      this.#start = event;
      this.#firstEventMs = performance.now() - this.#startedAt;
    } else if (event.type === 'usage') this.#usage = event.usage;
  }

  /**
   * One line per call, carrying the request id: `info` for success and the caller's own mistakes, else
   * `warn`. Written by `logLine`, which builds a JSON logger's line itself instead of passing it
   * through winston's stream pipeline.
   */
  log(logger: Logger, requestId: string, result: unknown): void {
    const ok = result === 'ok';
    const kind = ok ? 'ok' : ProviderError.isInstance(result) ? result.kind : 'internal';
    // One literal rather than a spread followed by new keys, which costs microseconds on Node 20's V8.
    const fields: Record<string, string | number | undefined> = {
      requestId,
      model: this.model,
      provider: this.#start?.provider,
      endpoint: this.#start?.endpoint,
      attempts: this.#start?.attempts,
      durationMs: Math.round(performance.now() - this.#startedAt),
      firstEventMs: this.#firstEventMs === undefined ? undefined : Math.round(this.#firstEventMs),
      inputTokens: this.#usage?.inputTokens,
      outputTokens: this.#usage?.outputTokens,
      status: kind,
    };
    if (ok) {
      logLine(logger, 'info', 'chat', fields);
      return;
    }
    fields['error'] = result instanceof Error ? result.message : String(result);
    const level = kind === 'cancelled' || kind === 'not_found' || kind === 'invalid_request' ? 'info' : 'warn';
    logLine(logger, level, 'chat failed', fields);
  }
}
