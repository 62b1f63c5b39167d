import type * as grpc from '@grpc/grpc-js';
import { create } from '@bufbuild/protobuf';
import type { Logger } from '@nachos/common';
import { ProviderError } from '@nachos/plugin-sdk';
import { CountTokensResponseSchema, fromProtoChatRequest, type CountTokensRequest, type CountTokensResponse } from '@nachos/proto';
import type { ModelTable } from '../routing/model-table.js';
import { callContextOf } from './call-context.js';
import { serveProviderUnary } from './serve-provider-unary.js';
import { refuseUnlessAllowed, unaryApiKey } from './unary-caller.js';

/**
 * Serves one `CountTokens` call with the counting endpoint of the provider a chat naming the model would
 * go to first. A provider without one is answered with no count (the gateway estimates), at no upstream
 * cost, and so is a count the upstream fails to give; a count is never taken from another route's
 * provider, whose tokenizer may differ.
 */
export function serveCountTokens(
  call: grpc.ServerUnaryCall<CountTokensRequest, CountTokensResponse>,
  callback: grpc.sendUnaryData<CountTokensResponse>,
  table: ModelTable,
  logger: Logger,
): Promise<void> {
  return serveProviderUnary(call, callback, logger, 'count tokens failed', async ({ requestId, signal }) => {
    if (!call.request.request) throw new ProviderError({ kind: 'invalid_request', message: 'CountTokens carries no request' });
    const request = fromProtoChatRequest(call.request.request);
    const caller = callContextOf(call);
    refuseUnlessAllowed(caller, request.model);
    const route = table.resolve(request.model)[0]!;
    const { provider, definition } = route.endpoint;
    const where = { provider: definition.provider, endpoint: definition.id };
    if (!provider.countTokens) return create(CountTokensResponseSchema, where);
    const apiKey = unaryApiKey(caller, route.endpoint);
    let inputTokens: number | undefined;
    try {
      inputTokens = await provider.countTokens({ ...request, model: route.upstreamModel }, { signal, requestId, ...(apiKey ? { apiKey } : {}) });
      logger.info('count tokens', { requestId, model: request.model, endpoint: definition.id, inputTokens });
    } catch (error) {
      // A count is an aid, not the chat: an upstream that cannot count this model (Bedrock counts Claude
      // only) or fails now leaves the estimate, which the answer names as such.
      logger.warn('upstream token count failed; the gateway estimates', { requestId, endpoint: definition.id, error: (error as Error).message });
    }
    return create(CountTokensResponseSchema, inputTokens === undefined ? where : { ...where, inputTokens });
  });
}
