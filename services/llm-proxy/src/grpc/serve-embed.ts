import type * as grpc from '@grpc/grpc-js';
import type { Logger } from '@nachos/common';
import { ProviderError } from '@nachos/plugin-sdk';
import { fromProtoEmbedRequest, toProtoEmbedResponse, type EmbedRequest, type EmbedResponse } from '@nachos/proto';
import type { ModelTable } from '../routing/model-table.js';
import { callAbortSignal } from './call-abort-signal.js';
import { callContextOf } from './call-context.js';
import { endWithError } from './end-with-error.js';
import { requestIdOf } from './request-id.js';
import { refuseUnlessAllowed, unaryApiKey } from './unary-caller.js';

/**
 * Serves one `Embed` call on the first endpoint that serves the model and can embed, holding the
 * caller to the models its gateway key may use and sending its own key only where `forward_token` allows.
 */
export async function serveEmbed(
  call: grpc.ServerUnaryCall<EmbedRequest, EmbedResponse>,
  callback: grpc.sendUnaryData<EmbedResponse>,
  table: ModelTable,
  logger: Logger,
): Promise<void> {
  const requestId = requestIdOf(call);
  const { signal, dispose } = callAbortSignal(call);
  try {
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
    callback(
      null,
      toProtoEmbedResponse({
        model: result.model,
        embeddings: result.embeddings,
        inputTokens: result.usage.inputTokens,
        provider: route.endpoint.definition.provider,
        endpoint: route.endpoint.definition.id,
      }),
    );
  } catch (error) {
    logger.info('embed failed', { requestId, error: (error as Error).message });
    endWithError(call, error, callback as grpc.sendUnaryData<never>);
  } finally {
    dispose();
  }
}
