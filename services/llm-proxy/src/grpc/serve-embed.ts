import type * as grpc from '@grpc/grpc-js';
import type { Logger } from '@nachos/common';
import { ProviderError } from '@nachos/plugin-sdk';
import { fromProtoEmbedRequest, toProtoEmbedResponse, type EmbedRequest, type EmbedResponse } from '@nachos/proto';
import type { ModelTable } from '../routing/model-table.js';
import { callContextOf } from './call-context.js';
import { serveProviderUnary } from './serve-provider-unary.js';
import { refuseUnlessAllowed, unaryApiKey } from './unary-caller.js';

/**
 * Serves one `Embed` call on the first endpoint that serves the model and can embed, holding the
 * caller to the models its gateway key may use and sending its own key only where `forward_token` allows.
 */
export function serveEmbed(
  call: grpc.ServerUnaryCall<EmbedRequest, EmbedResponse>,
  callback: grpc.sendUnaryData<EmbedResponse>,
  table: ModelTable,
  logger: Logger,
): Promise<void> {
  return serveProviderUnary(call, callback, logger, 'embed failed', async ({ requestId, signal }) => {
    const request = fromProtoEmbedRequest(call.request);
    const caller = callContextOf(call);
    refuseUnlessAllowed(caller, request.model);
    const embedding = table.resolve(request.model).filter((candidate) => candidate.endpoint.provider.embed !== undefined);
    // Token ids mean something only to a provider that shares the client's (OpenAI's) tokenizer.
    const route = request.tokens ? embedding.find((candidate) => candidate.endpoint.provider.embedsTokenIds === true) : embedding[0];
    if (!route?.endpoint.provider.embed) {
      const message =
        request.tokens && embedding.length > 0
          ? `The model '${request.model}' takes no token ids as embedding input (its provider tokenizes on its own); send the text instead.`
          : `The model '${request.model}' does not support embeddings.`;
      throw new ProviderError({ kind: 'invalid_request', message });
    }
    const apiKey = unaryApiKey(caller, route.endpoint);
    const result = await route.endpoint.provider.embed(
      { ...request, model: route.upstreamModel },
      { signal, requestId, ...(apiKey ? { apiKey } : {}) },
    );
    logger.info('embed', { requestId, model: request.model, endpoint: route.endpoint.definition.id, inputTokens: result.usage.inputTokens });
    return toProtoEmbedResponse({
      model: result.model,
      embeddings: result.embeddings,
      inputTokens: result.usage.inputTokens,
      provider: route.endpoint.definition.provider,
      endpoint: route.endpoint.definition.id,
    });
  });
}
