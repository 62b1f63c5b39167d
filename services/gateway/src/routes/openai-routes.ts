import { Router } from 'express';
import type { LlmProxyClient } from '../llm-proxy/llm-proxy-client.js';
import { markProtocol } from '../middleware/mark-protocol.js';
import { runChatExchange } from '../protocols/chat-exchange.js';
import { buildOpenAIChatCompletion } from '../protocols/openai/build-openai-chat-completion.js';
import { OpenAIChatStreamEncoder } from '../protocols/openai/openai-chat-stream-encoder.js';
import { buildOpenAIModel, buildOpenAIModelList } from '../protocols/openai/build-openai-models.js';
import { parseOpenAIChatRequest } from '../protocols/openai/parse-openai-chat-request.js';
import { GatewayError } from '../errors/gateway-error.js';

/** The OpenAI surface: `/chat/completions` and `/models`, mounted under `/v1` and its prefixes. */
export function openAIRoutes(client: LlmProxyClient): Router {
  const router = Router();
  router.use(markProtocol('openai'));

  router.post('/chat/completions', async (request, response) => {
    const { request: chat, includeUsage } = parseOpenAIChatRequest(request.body);
    const created = Math.floor(Date.now() / 1000);
    await runChatExchange(request, response, {
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

  router.get('/models', async (_request, response) => {
    const models = await client.listModels({ requestId: response.locals.requestId as string, signal: AbortSignal.timeout(10_000) });
    response.json(buildOpenAIModelList(models));
  });

  router.get('/models/*id', async (request, response) => {
    const id = ([] as string[]).concat((request.params as { id: string | string[] }).id).join('/');
    const models = await client.listModels({ requestId: response.locals.requestId as string, signal: AbortSignal.timeout(10_000) });
    const model = models.find((candidate) => candidate.id === id);
    if (!model) throw new GatewayError({ kind: 'not_found', message: `The model '${id}' does not exist.`, param: 'model', code: 'model_not_found' });
    response.json(buildOpenAIModel(model));
  });

  return router;
}
