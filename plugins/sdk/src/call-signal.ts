/**
 * A call's cancellation as the SDK and llm-proxy read it: whether and why it ended, and word when it does.
 * An `AbortSignal` is one; llm-proxy hands plugins a lighter one besides (`CallOptions.cancellation`),
 * since an `AbortController` per attempt costs about as much as the rest of the routing.
 */
export interface CallSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once: true }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}
