import { Router, type RequestHandler } from 'express';
import type { LlmProxyClient } from '../llm-proxy/llm-proxy-client.js';
import { headerSafeList } from '../hygiene/header-safe-list.js';
import { markProtocol } from '../middleware/mark-protocol.js';
import { runChatExchange } from '../protocols/chat-exchange.js';
import { runChatFanOut } from '../protocols/chat-fan-out.js';
import { streamChoices } from '../protocols/stream-choices.js';
import { OpenAIChatChoicesStreamEncoder } from '../protocols/openai/openai-chat-choices-stream-encoder.js';
import { buildOpenAIChatChoices, buildOpenAIChatCompletion } from '../protocols/openai/build-openai-chat-completion.js';
import { OpenAIChatStreamEncoder } from '../protocols/openai/openai-chat-stream-encoder.js';
import { buildOpenAIModel, buildOpenAIModelList } from '../protocols/openai/build-openai-models.js';
import { parseOpenAIChatRequest } from '../protocols/openai/parse-openai-chat-request.js';
import { GatewayError, invalidRequest } from '../errors/gateway-error.js';
import { buildOpenAIEmbeddings } from '../protocols/openai/build-openai-embeddings.js';
import { buildOpenAITextCompletion } from '../protocols/openai/build-openai-text-completion.js';
import { OpenAICompletionStreamEncoder } from '../protocols/openai/openai-completion-stream-encoder.js';
import { openAIResponseId } from '../protocols/openai/openai-response-id.js';
import { parseOpenAICompletionRequest } from '../protocols/openai/parse-openai-completion-request.js';
import { parseOpenAIEmbeddingsRequest } from '../protocols/openai/parse-openai-embeddings-request.js';
import { disconnectContext, listingContext } from './call-context.js';
import { responsesRoutes } from './responses-routes.js';
import type { ResponsesStore } from '../responses-store/stored-response.js';

/**
 * `POST /chat/completions`, dispatched ahead of the generic layers (see chat-routes.ts); `n` > 1 is passed
 * to providers that answer several choices, and otherwise made as that many calls (see stream-choices.ts).
 * The exchange's promise is returned rather than awaited, and its encoder knows the model's name rather than
 * the request: either would keep the prompt alive for as long as a stream lasts.
 */
export function openAIChatCompletions(client: LlmProxyClient, options: { maxChoices: number }): RequestHandler {
  return async (request, response) => {
    const { request: chat, includeUsage, choices } = parseOpenAIChatRequest(request.body);
    const { model } = chat;
    const created = Math.floor(Date.now() / 1000);
    if (choices > options.maxChoices) throw invalidRequest(`'n' may be at most ${options.maxChoices} here.`, 'n');
    if (choices > 1 && chat.stream) {
      return runChatExchange(response, {
        client: { chat: (request, context) => streamChoices(client, request, context, choices), streamStallMs: client.streamStallMs },
        request: chat,
        encoder: (start) =>
          new OpenAIChatChoicesStreamEncoder({
            upstreamId: start?.type === 'start' ? start.id : '',
            model: start?.type === 'start' ? start.model : model,
            created,
            includeUsage,
            count: choices,
          }),
        respond: (aggregated) => buildOpenAIChatCompletion(aggregated, created),
      });
    }
    if (choices > 1) {
      return runChatFanOut(response, { client, request: chat, count: choices, respond: (answers, usage) => buildOpenAIChatChoices(answers, usage, created) });
    }
    return runChatExchange(response, {
      client,
      request: chat,
      encoder: (start) =>
        new OpenAIChatStreamEncoder({
          upstreamId: start?.type === 'start' ? start.id : '',
          model: start?.type === 'start' ? start.model : model,
          created,
          includeUsage,
        }),
      respond: (aggregated) => buildOpenAIChatCompletion(aggregated, created),
    });
  };
}

/**
 * The rest of the OpenAI surface: `/completions`, `/embeddings`, `/responses/…` and `/models`, mounted
 * under `/v1` and its prefixes.
 */
export function openAIRoutes(client: LlmProxyClient, store: ResponsesStore): Router {
  const router = Router();
  router.use(markProtocol('openai'));

  router.post('/completions', async (request, response) => {
    const { request: chat, includeUsage, echoedPrompt, ignoredFields } = parseOpenAICompletionRequest(request.body);
    const { model } = chat;
    if (ignoredFields.length > 0) response.setHeader('x-nachos-ignored-fields', headerSafeList(ignoredFields));
    const created = Math.floor(Date.now() / 1000);
    return runChatExchange(response, {
      client,
      request: chat,
      encoder: (start) =>
        new OpenAICompletionStreamEncoder({
          id: openAIResponseId('cmpl-', start?.type === 'start' ? start.id : ''),
          model: start?.type === 'start' ? start.model : model,
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

  router.use(responsesRoutes(store));

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
