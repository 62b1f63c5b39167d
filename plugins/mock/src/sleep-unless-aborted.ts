import { ProviderError } from '@nachos/plugin-sdk';

/**
 * Waits `milliseconds`, failing with kind `cancelled` as soon as the signal aborts, so that a slow
 * mock stream stops as promptly as a real one.
 */
export async function sleepUnlessAborted(milliseconds: number, signal: AbortSignal): Promise<void> {
  throwIfAborted(signal);
  if (milliseconds <= 0) {
    return;
  }
  await new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cancelledError());
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, milliseconds);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) {
    throw cancelledError();
  }
}

function cancelledError(): ProviderError {
  return new ProviderError({ kind: 'cancelled', message: 'the caller cancelled the request', providerId: 'mock' });
}
