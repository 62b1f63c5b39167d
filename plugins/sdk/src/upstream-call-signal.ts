import type { CallSignal } from './call-signal.js';
import { ProviderError } from './provider-error.js';
import { redactSecrets } from './redact-secrets.js';

/**
 * The abort signal of one upstream call: the caller's signal (client gone, gRPC deadline, llm-proxy
 * timeout) combined with this call's own timeout, remembering which of the two fired so that the
 * failure gets the right kind — `cancelled` is nobody's fault, `timeout` is worth a retry elsewhere.
 *
 * Call {@link UpstreamCallSignal.dispose} when the call is over: it clears the timer and stops
 * listening to the caller's signal, which may live much longer than one attempt.
 *
 * The combined `AbortSignal` is made only when asked for: `fetchUpstream` needs none, only to know
 * (`aborted`, `onAbort`), which spares an `AbortController` and its listeners on every call.
 */
export class UpstreamCallSignal {
  #controller: AbortController | undefined;
  readonly #callerSignal: CallSignal;
  readonly #timeoutMs: number | undefined;
  readonly #providerId: string | undefined;
  readonly #onCallerAbort = (): void => this.#abort(this.#callerSignal.reason);
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timedOut = false;
  #aborted = false;
  #reason: unknown;
  #listener: (() => void) | undefined;

  constructor(callerSignal: CallSignal, timeoutMs?: number, providerId?: string) {
    this.#callerSignal = callerSignal;
    this.#timeoutMs = timeoutMs;
    this.#providerId = providerId;
    if (callerSignal.aborted) {
      this.#abort(callerSignal.reason);
      return;
    }
    // No `once`: an abort comes once, and dispose removes the listener whatever happened.
    callerSignal.addEventListener('abort', this.#onCallerAbort);
    if (timeoutMs !== undefined && timeoutMs > 0 && Number.isFinite(timeoutMs)) {
      this.#timer = setTimeout(() => {
        this.#timedOut = true;
        this.#abort(new Error(`upstream call timed out after ${timeoutMs} ms`));
      }, timeoutMs);
    }
  }

  /** Aborts when the caller does or the timer fires. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /** Whether the caller aborted or the timer fired. */
  get aborted(): boolean {
    return this.#aborted;
  }

  /** Why: the caller's reason, or the timer's error. */
  get reason(): unknown {
    return this.#reason;
  }

  /** Runs `listener` once when the call is aborted, until {@link UpstreamCallSignal.dispose}. */
  onAbort(listener: () => void): void {
    this.#listener = listener;
  }

  /**
   * The `ProviderError` for a failure of this call: `cancelled` if the caller aborted, `timeout` if our
   * timer fired, the error itself if it already is a `ProviderError`, else `unavailable` (the
   * connection failed or broke off).
   */
  failure(error?: unknown, local = false): ProviderError {
    if (this.#callerSignal.aborted) {
      return new ProviderError({
        kind: 'cancelled',
        message: 'the caller cancelled the request',
        providerId: this.#providerId,
        cause: error,
      });
    }
    if (this.#timedOut) {
      return new ProviderError({
        kind: 'timeout',
        message: `upstream did not answer within ${String(this.#timeoutMs)} ms`,
        providerId: this.#providerId,
        local,
        cause: error,
      });
    }
    if (ProviderError.isInstance(error)) {
      return error;
    }
    return new ProviderError({
      kind: 'unavailable',
      message: `upstream connection failed: ${redactSecrets(describeNetworkError(error))}`,
      providerId: this.#providerId,
      local,
      cause: error,
    });
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#listener = undefined;
    this.#callerSignal.removeEventListener('abort', this.#onCallerAbort);
  }

  #abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
    const listener = this.#listener;
    this.#listener = undefined;
    listener?.();
  }
}

/**
 * The useful part of a network error (ECONNREFUSED, "other side closed", a connect timeout), from the
 * error or, where a wrapper says only "fetch failed", from its cause. Duck-typed, because errors from
 * another realm (a test sandbox) fail `instanceof Error`.
 */
function describeNetworkError(error: unknown): string {
  const outer = readErrorFields(error);
  const cause = readErrorFields(outer.cause);
  const fields = cause.message !== undefined ? cause : outer;
  if (fields.message === undefined) {
    return String(error);
  }
  return fields.code !== undefined && !fields.message.includes(fields.code) ? `${fields.code}: ${fields.message}` : fields.message;
}

function readErrorFields(error: unknown): { message?: string; code?: string; cause?: unknown } {
  if (typeof error !== 'object' || error === null) {
    return {};
  }
  const { message, code, cause } = error as Record<string, unknown>;
  return {
    message: typeof message === 'string' ? message : undefined,
    code: typeof code === 'string' ? code : undefined,
    cause,
  };
}
