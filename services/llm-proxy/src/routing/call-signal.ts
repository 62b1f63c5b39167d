/**
 * What the router asks of a chat's cancellation: whether and why it ended, and word when it does. An
 * `AbortSignal` is one; a Mux call brings a lighter one of its own (see call-cancellation.ts).
 */
export interface CallSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once: true }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}
