import type * as grpc from '@grpc/grpc-js';
import type { Logger } from '@nachos/common';
import { callAbortSignal } from './call-abort-signal.js';
import { endWithError } from './end-with-error.js';
import { requestIdOf } from './request-id.js';

/** What a unary call's work gets from its frame: the gateway's request id and the call's abort signal. */
export interface ProviderUnaryScope {
  requestId: string;
  /** Aborted when the gateway cancels the call or its deadline passes; plugins hand it to `fetch`. */
  signal: AbortSignal;
}

/**
 * The frame every unary call answered by a provider shares (CountTokens, Embed): `serve` gets the request
 * id and an abort signal, its result is the answer, and an error it throws is logged as `failed` and ends
 * the call with the status the error table gives it. The signal's listener and timer go with the call.
 */
export async function serveProviderUnary<Request, Response>(
  call: grpc.ServerUnaryCall<Request, Response>,
  callback: grpc.sendUnaryData<Response>,
  logger: Logger,
  failed: string,
  serve: (scope: ProviderUnaryScope) => Promise<Response>,
): Promise<void> {
  const requestId = requestIdOf(call);
  const { signal, dispose } = callAbortSignal(call);
  try {
    callback(null, await serve({ requestId, signal }));
  } catch (error) {
    logger.info(failed, { requestId, error: (error as Error).message });
    endWithError(call, error, callback as grpc.sendUnaryData<never>);
  } finally {
    dispose();
  }
}
