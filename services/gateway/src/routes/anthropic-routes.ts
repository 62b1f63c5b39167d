import { Router, type RequestHandler } from 'express';
import type { ChatRequest } from '@nachos/plugin-sdk';
import { GatewayError } from '../errors/gateway-error.js';
import type { LlmProxyClient } from '../llm-proxy/llm-proxy-client.js';
import { markProtocol } from '../middleware/mark-protocol.js';
import { AnthropicStreamEncoder } from '../protocols/anthropic/anthropic-stream-encoder.js';
import { buildAnthropicMessage } from '../protocols/anthropic/build-anthropic-message.js';
import { buildAnthropicModel, buildAnthropicModelList } from '../protocols/anthropic/build-anthropic-models.js';
import { createAnthropicMessageId } from '../protocols/anthropic/anthropic-message-id.js';
import { estimateInputTokens } from '../protocols/anthropic/estimate-input-tokens.js';
import {
  parseAnthropicCountTokensRequest,
  parseAnthropicMessagesRequest,
} from '../protocols/anthropic/parse-anthropic-messages-request.js';
import { runChatExchange } from '../protocols/chat-exchange.js';
import { disconnectContext, listingContext } from './call-context.js';

export interface AnthropicRoutesOptions {
  /**
   * Under `/v1` the OpenAI surface shares the prefix: `GET /models` is answered in Anthropic's shape
   * only when the request carries `anthropic-version` (Anthropic's SDKs and Claude Code always send it),
   * and every other path falls through. Under `/llm/anthropic/v1` every route and error is Anthropic's.
   */
  sharedPrefix: boolean;
}

const markAnthropicProtocol = markProtocol('anthropic');

/**
 * Marks a request as Anthropic's (errors in Anthropic's shape) and echoes the request id as `request-id`,
 * where Anthropic's SDKs read it (their `APIError.requestID`). The app also runs it on Anthropic's paths
 * before the body is parsed, so a malformed or oversized body is refused in Anthropic's shape too.
 */
export const markAnthropic: RequestHandler = (request, response, next) => {
  response.setHeader('request-id', response.locals.requestId as string);
  markAnthropicProtocol(request, response, next);
};

/**
 * `POST /messages`, dispatched ahead of the generic layers (see chat-routes.ts). The exchange's promise is
 * returned rather than awaited, and what answers knows the model's name rather than the request: either would
 * keep the prompt alive for as long as a stream lasts.
 */
export function anthropicMessages(client: LlmProxyClient): RequestHandler {
  return (request, response) => {
    const chat = withAnthropicBeta(parseAnthropicMessagesRequest(request.body), request.headers['anthropic-beta']);
    const { model } = chat;
    const messageId = createAnthropicMessageId();
    const inputTokensEstimate = estimateInputTokens(chat);
    return runChatExchange(response, {
      client,
      request: chat,
      encoder: (start) => new AnthropicStreamEncoder({ messageId, model: start?.type === 'start' ? start.model : model, inputTokensEstimate }),
      respond: (aggregated) => buildAnthropicMessage(aggregated, { messageId, requestModel: model, inputTokensEstimate }),
    });
  };
}

/**
 * The Anthropic surface: `/messages` (also `?beta=true`, since routing ignores the query),
 * `/messages/count_tokens` and `/models`. The `x-api-key` / `Authorization` and `anthropic-version` /
 * `anthropic-beta` headers are accepted and not required.
 */
export function anthropicRoutes(client: LlmProxyClient, options: AnthropicRoutesOptions): Router {
  const router = Router();
  if (!options.sharedPrefix) router.use(markAnthropic);
  const anthropicClientsOnly: RequestHandler = (request, _response, next) => {
    if (options.sharedPrefix && request.headers['anthropic-version'] === undefined) next('route');
    else next();
  };

  // The provider's own count where it has a counting endpoint (Anthropic, Gemini); elsewhere an estimate
  // from the request text (characters / 4, images at a flat rate). The header says which the client got.
  router.post('/messages/count_tokens', markAnthropic, async (request, response) => {
    const chat = withAnthropicBeta(parseAnthropicCountTokensRequest(request.body), request.headers['anthropic-beta']);
    const counted = await client.countTokens(chat, disconnectContext(response));
    response.setHeader('x-nachos-token-count-source', counted.inputTokens === undefined ? 'estimate' : 'provider');
    response.json({ input_tokens: counted.inputTokens ?? estimateInputTokens(chat) });
  });

  router.get('/models', anthropicClientsOnly, markAnthropic, async (request, response) => {
    const models = await client.listModels(listingContext(response));
    response.json(buildAnthropicModelList(models, request.query));
  });

  router.get('/models/*id', anthropicClientsOnly, markAnthropic, async (request, response) => {
    const id = ([] as string[]).concat((request.params as { id: string | string[] }).id).join('/');
    const models = await client.listModels(listingContext(response));
    const model = models.find((candidate) => candidate.id === id);
    if (!model) throw new GatewayError({ kind: 'not_found', message: `The model '${id}' does not exist.`, param: 'model' });
    response.json(buildAnthropicModel(model));
  });

  return router;
}

/** The client's `anthropic-beta` features (a comma list, or the header repeated), for the providers that take them. */
function withAnthropicBeta(chat: ChatRequest, header: string | string[] | undefined): ChatRequest {
  if (header === undefined) return chat;
  const betas = ([] as string[]).concat(header).flatMap((value) => value.split(',')).map((beta) => beta.trim()).filter((beta) => beta !== '');
  return betas.length === 0 ? chat : { ...chat, anthropicBeta: betas };
}
