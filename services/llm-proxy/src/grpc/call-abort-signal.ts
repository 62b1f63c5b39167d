import type * as grpc from '@grpc/grpc-js';
import { ProviderError } from '@nachos/plugin-sdk';

/**
 * One AbortSignal for everything that ends a call early: the gateway cancelling (client gone) and the
 * call's deadline. Plugins pass it to `fetch`, so either one aborts the upstream request at once.
 */
export function callAbortSignal(call: grpc.ServerUnaryCall<unknown, unknown>): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onCancelled = () => controller.abort(new ProviderError({ kind: 'cancelled', message: 'the caller cancelled' }));
  call.on('cancelled', onCancelled);
  let timer: NodeJS.Timeout | undefined;
  const deadline = call.getDeadline();
  const deadlineMs = deadline instanceof Date ? deadline.getTime() : Number(deadline);
  if (Number.isFinite(deadlineMs)) {
    timer = setTimeout(
      () => controller.abort(new ProviderError({ kind: 'timeout', message: 'the call deadline passed' })),
      Math.max(0, deadlineMs - Date.now()),
    );
  }
  return {
    signal: controller.signal,
    dispose: () => {
      call.off('cancelled', onCancelled);
      if (timer) clearTimeout(timer);
    },
  };
}
