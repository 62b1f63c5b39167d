import { Router } from 'express';
import type { LlmProxyClient } from '../llm-proxy/llm-proxy-client.js';
import { markProtocol } from '../middleware/mark-protocol.js';
import { runChatExchange } from '../protocols/chat-exchange.js';
import { buildOpenAIChatCompletion } from '../protocols/openai/build-openai-chat-completion.js';
import { OpenAIChatStreamEncoder } from '../protocols/openai/openai-chat-stream-encoder.js';
import { buildOpenAIModel, buildOpenAIModelList } from '../protocols/openai/build-openai-models.js';
import { parseOpenAIChatRequest } from '../protocols/openai/parse-openai-chat-request.js';
import { GatewayError } from '../errors/gateway-error.js';
import { buildOpenAIEmbeddings } from '../protocols/openai/build-openai-embeddings.js';
import { buildOpenAIResponse } from '../protocols/openai/build-openai-response.js';
import { buildOpenAITextCompletion } from '../protocols/openai/build-openai-text-completion.js';
import { OpenAICompletionStreamEncoder } from '../protocols/openai/openai-completion-stream-encoder.js';
import { openAIResponseId } from '../protocols/openai/openai-response-id.js';
import { parseOpenAICompletionRequest } from '../protocols/openai/parse-openai-completion-request.js';
import { parseOpenAIEmbeddingsRequest } from '../protocols/openai/parse-openai-embeddings-request.js';
import { parseOpenAIResponsesRequest } from '../protocols/openai/parse-openai-responses-request.js';
import { createResponsesId } from '../protocols/openai/responses-item-id.js';
import { ResponsesStreamEncoder } from '../protocols/openai/responses-stream-encoder.js';
import { disconnectContext, listingContext } from './call-context.js';

/**
 * The OpenAI surface: `/chat/completions`, `/completions`, `/embeddings`, `/responses` and `/models`,
 * mounted under `/v1` and its prefixes.
 */
export function openAIRoutes(client: LlmProxyClient): Router {
  const router = Router();
  router.use(markProtocol('openai'));

  router.post('/chat/completions', async (request, response) => {
    const { request: chat, includeUsage } = parseOpenAIChatRequest(request.body);
    const created = Math.floor(Date.now() / 1000);
    await runChatExchange(response, {
      client,
      request: chat,
      encoder: (start) =>
        new OpenAIChatStreamEncoder({
          upstreamId: start?.type === 'start' ? start.id : '',
          model: start?.type === 'start' ? start.model : chat.model,
          created,
          includeUsage,
        }),
      respond: (aggregated) => buildOpenAIChatCompletion(aggregated, created),
    });
  });

  router.post('/completions', async (request, response) => {
    const { request: chat, includeUsage, echoedPrompt, ignoredFields } = parseOpenAICompletionRequest(request.body);
    if (ignoredFields.length > 0) response.setHeader('x-nachos-ignored-fields', ignoredFields.join(', '));
    const created = Math.floor(Date.now() / 1000);
    await runChatExchange(response, {
      client,
      request: chat,
      encoder: (start) =>
        new OpenAICompletionStreamEncoder({
          id: openAIResponseId('cmpl-', start?.type === 'start' ? start.id : ''),
          model: start?.type === 'start' ? start.model : chat.model,
          created,
          includeUsage,
          ...(echoedPrompt === undefined ? {} : { echoedPrompt }),
        }),
      respond: (aggregated) =>
        buildOpenAITextCompletion(aggregated, {
          id: openAIResponseId('cmpl-', aggregated.id),
          created,
          ...(echoedPrompt === undefined ? {} : { echoedPrompt }),
        }),
    });
  });

  router.post('/embeddings', async (request, response) => {
    const { request: embed, encoding } = parseOpenAIEmbeddingsRequest(request.body);
    const result = await client.embed(embed, disconnectContext(response));
    response.json(buildOpenAIEmbeddings(result, encoding, embed.model));
  });

  router.post('/responses', async (request, response) => {
    const { request: chat, settings, toolNamespaces, ignoredFields } = parseOpenAIResponsesRequest(request.body);
    if (ignoredFields.length > 0) response.setHeader('x-nachos-ignored-fields', ignoredFields.join(', '));
    const envelope = { id: createResponsesId('resp'), createdAt: Math.floor(Date.now() / 1000), model: chat.model, settings, toolNamespaces };
    await runChatExchange(response, {
      client,
      request: chat,
      encoder: () => new ResponsesStreamEncoder(envelope),
      respond: (aggregated) => buildOpenAIResponse(aggregated, envelope),
    });
  });

  // Stored responses are OpenAI platform state; say so rather than answer "no route".
  router.all('/responses/:id', (request) => {
    throw new GatewayError({
      kind: 'not_found',
      message: `No response '${request.params.id}': nachos is stateless and stores no responses.`,
      param: 'response_id',
    });
  });

  router.get('/models', async (_request, response) => {
    const models = await client.listModels(listingContext(response));
    response.json(buildOpenAIModelList(models));
  });

  router.get('/models/*id', async (request, response) => {
    const id = ([] as string[]).concat((request.params as { id: string | string[] }).id).join('/');
    const models = await client.listModels(listingContext(response));
    const model = models.find((candidate) => candidate.id === id);
    if (!model) throw new GatewayError({ kind: 'not_found', message: `The model '${id}' does not exist.`, param: 'model', code: 'model_not_found' });
    response.json(buildOpenAIModel(model));
  });

  return router;
}
