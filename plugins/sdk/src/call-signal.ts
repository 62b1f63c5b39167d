/**
 * A call's cancellation as the SDK and both services read it: whether and why it ended, and word when it
 * does. An `AbortSignal` is one; `CallCancellation` is a lighter one (llm-proxy hands it to plugins as
 * `CallOptions.cancellation`), since an `AbortController` per call costs about as much as the routing.
 */
export interface CallSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once: true }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}
