import { Router, type RequestHandler, type Response } from 'express';
import type { LlmProxyClient } from '../llm-proxy/llm-proxy-client.js';
import { headerSafeList } from '../hygiene/header-safe-list.js';
import { markProtocol } from '../middleware/mark-protocol.js';
import { runChatExchange } from '../protocols/chat-exchange.js';
import { optionalBoolean, requireObject } from '../protocols/request-fields.js';
import { buildOllamaResponse, ollamaModelActionResponse } from '../protocols/ollama/build-ollama-response.js';
import { buildOllamaPsEntry, buildOllamaShow, buildOllamaTagsEntry } from '../protocols/ollama/build-ollama-models.js';
import { describeOllamaModel, resolveOllamaModelName } from '../protocols/ollama/ollama-model-name.js';
import { asOllamaModelNotFound, ollamaModelNotFound } from '../protocols/ollama/ollama-model-not-found.js';
import { OllamaStreamEncoder } from '../protocols/ollama/ollama-stream-encoder.js';
import { OllamaTiming } from '../protocols/ollama/ollama-timing.js';
import { parseOllamaChatRequest } from '../protocols/ollama/parse-ollama-chat-request.js';
import { parseOllamaEmbedRequest, parseOllamaLegacyEmbeddingsRequest } from '../protocols/ollama/parse-ollama-embed-request.js';
import { parseOllamaGenerateRequest } from '../protocols/ollama/parse-ollama-generate-request.js';
import type { OllamaGenerationEndpoint, ParsedOllamaRequest } from '../protocols/ollama/parsed-ollama-request.js';
import { readOllamaModelField } from '../protocols/ollama/read-ollama-model-field.js';
import { watchChatTiming } from '../protocols/ollama/watch-chat-timing.js';
import { disconnectContext, listingContext } from './call-context.js';

/**
 * The Ollama version nachos claims. Clients gate on it: Open WebUI parses it as dotted numbers, VS Code
 * Copilot wants at least 0.6.4, and newer clients only send `think` or tools to servers recent enough.
 */
export const OLLAMA_VERSION = '0.12.6';

/** `POST /api/chat`, dispatched ahead of the generic layers (see chat-routes.ts). */
export function ollamaChat(client: LlmProxyClient): RequestHandler {
  return async (request, response) => {
    const timing = new OllamaTiming();
    return serveGeneration('chat', parseOllamaChatRequest(request.body), { client, timing, response });
  };
}

/**
 * The Ollama surface, so that Ollama clients (ollama-js, Open WebUI, VS Code, LangFlow) can use every
 * provider: `GET /` and `/api/*`. Mounted at the root; only `/api` answers errors in Ollama's shape.
 * @see https://github.com/ollama/ollama/blob/main/docs/api.md
 */
export function ollamaRoutes(client: LlmProxyClient): Router {
  const router = Router();
  router.get('/', (_request, response) => {
    response.type('text/plain').send('Ollama is running');
  });

  const api = Router();
  api.use(markProtocol('ollama'));

  api.post('/generate', async (request, response) => {
    const timing = new OllamaTiming();
    return serveGeneration('generate', parseOllamaGenerateRequest(request.body), { client, timing, response });
  });

  api.post('/embed', async (request, response) => {
    const timing = new OllamaTiming();
    const embed = parseOllamaEmbedRequest(request.body);
    const embeddings = await embedAll(client, embed, response);
    const { total_duration, load_duration } = timing.metrics(undefined);
    // Ollama's own answer carries all three; ollama-ai-provider (Vercel AI SDK) rejects one without them.
    response.json({ model: embed.model, embeddings: embeddings.vectors, total_duration, load_duration, prompt_eval_count: embeddings.inputTokens });
  });

  api.post('/embeddings', async (request, response) => {
    const embed = parseOllamaLegacyEmbeddingsRequest(request.body);
    const embeddings = await embedAll(client, embed, response);
    response.json({ embedding: embeddings.vectors[0] ?? [] });
  });

  api.get('/tags', async (_request, response) => {
    const models = await client.listModels(listingContext(response));
    response.json({ models: models.map(buildOllamaTagsEntry) });
  });

  api.get('/ps', async (_request, response) => {
    const models = await client.listModels(listingContext(response));
    const now = new Date();
    response.json({ models: models.map((model) => buildOllamaPsEntry(model, now)) });
  });

  api.post('/show', async (request, response) => {
    const name = readOllamaModelField(request.body);
    const model = await describeOllamaModel(name, client, listingContext(response));
    if (!model) throw ollamaModelNotFound(name);
    response.json(buildOllamaShow(model));
  });

  // Nothing to download: a model nachos serves is "pulled" already, one it does not serve cannot be.
  api.post('/pull', async (request, response) => {
    const name = readOllamaModelField(request.body);
    const stream = optionalBoolean(requireObject(request.body, 'body'), 'stream') ?? true;
    if (!(await describeOllamaModel(name, client, listingContext(response)))) throw ollamaModelNotFound(name);
    sendOllamaObject(response, { status: 'success' }, stream);
  });

  api.get('/version', (_request, response) => {
    response.json({ version: OLLAMA_VERSION });
  });

  router.use('/api', api);
  return router;
}

interface GenerationContext {
  client: LlmProxyClient;
  timing: OllamaTiming;
  response: Response;
}

/** `/api/chat` and `/api/generate`: one path through the shared chat exchange, shaped per endpoint. */
function serveGeneration(endpoint: OllamaGenerationEndpoint, parsed: ParsedOllamaRequest, context: GenerationContext): Promise<void> | void {
  const { response } = context;
  const requested = parsed.request.model;
  if (parsed.ignoredFields.length > 0) response.setHeader('x-nachos-ignored-fields', headerSafeList(parsed.ignoredFields));
  if (parsed.modelAction) {
    sendOllamaObject(response, ollamaModelActionResponse(endpoint, requested, parsed.modelAction), parsed.request.stream);
    return;
  }
  return answerGeneration(endpoint, parsed.request, context).catch((error: unknown) => {
    throw asOllamaModelNotFound(error, requested);
  });
}

/**
 * Resolves the model's name, then answers through the exchange, whose promise is returned rather than awaited:
 * awaited here, the request (the whole prompt) would stay alive for as long as a stream lasts.
 */
async function answerGeneration(endpoint: OllamaGenerationEndpoint, chat: ParsedOllamaRequest['request'], { client, timing, response }: GenerationContext): Promise<void> {
  const requested = chat.model;
  const model = await resolveOllamaModelName(requested, client, listingContext(response));
  return runChatExchange(response, {
    client: watchChatTiming(client, timing),
    request: { ...chat, model },
    encoder: () => new OllamaStreamEncoder({ endpoint, model: requested, timing }),
    respond: (aggregated) => buildOllamaResponse(endpoint, requested, aggregated, timing.metrics(aggregated.usage)),
  });
}

/** Embeds every input in one call; an empty input list costs no call, as Ollama answers it with nothing. */
async function embedAll(
  client: LlmProxyClient,
  embed: ReturnType<typeof parseOllamaEmbedRequest>,
  response: Response,
): Promise<{ vectors: number[][]; inputTokens: number }> {
  if (embed.input.length === 0) return { vectors: [], inputTokens: 0 };
  try {
    const context = disconnectContext(response);
    const model = await resolveOllamaModelName(embed.model, client, context);
    const result = await client.embed({ ...embed, model }, context);
    return { vectors: result.embeddings, inputTokens: result.inputTokens };
  } catch (error) {
    throw asOllamaModelNotFound(error, embed.model);
  }
}

/** One object: NDJSON (a single line) when the client streams, plain JSON otherwise. */
function sendOllamaObject(response: Response, body: unknown, stream: boolean): void {
  if (!stream) {
    response.json(body);
    return;
  }
  response.status(200).type('application/x-ndjson').send(`${JSON.stringify(body)}\n`);
}
