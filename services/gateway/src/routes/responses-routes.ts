import { Router, type RequestHandler, type Response } from 'express';
import type { ChatRequest, JsonObject, JsonValue } from '@nachos/plugin-sdk';
import type { Logger } from '@nachos/common';
import { ANONYMOUS_CALLER } from '../auth/caller.js';
import { GatewayError, invalidRequest } from '../errors/gateway-error.js';
import { headerSafeList } from '../hygiene/header-safe-list.js';
import type { LlmProxyClient } from '../llm-proxy/llm-proxy-client.js';
import { requestScopeOf } from '../policy/request-scope.js';
import { runChatExchange } from '../protocols/chat-exchange.js';
import { optionalString, requireObject } from '../protocols/request-fields.js';
import { buildOpenAIResponse } from '../protocols/openai/build-openai-response.js';
import { parseOpenAIResponsesRequest, readPreviousResponseId } from '../protocols/openai/parse-openai-responses-request.js';
import { responsesInputItems } from '../protocols/openai/responses-input-items.js';
import { createResponsesId } from '../protocols/openai/responses-item-id.js';
import { ResponsesStreamEncoder } from '../protocols/openai/responses-stream-encoder.js';
import type { ResponsesStore } from '../responses-store/stored-response.js';

/**
 * `POST /responses`, dispatched ahead of the generic layers (see chat-routes.ts): one chat exchange, the
 * answer kept (with `store`, the default) so that `previous_response_id` can continue it. A response that is
 * not stored lets its input go once llm-proxy has answered, as the other chat routes do; a stored one keeps
 * it until the answer ends, to store it with the answer.
 */
export function createResponse(client: LlmProxyClient, store: ResponsesStore, logger: Logger): RequestHandler {
  return async (request, response) => {
    const owner = ownerOf(response);
    const previousId = readPreviousResponseId(request.body);
    const previous = previousId === undefined ? undefined : await find(store, owner, previousId, 'previous_response_id');
    const parsed = parseOpenAIResponsesRequest(request.body, previous && { id: previousId!, conversation: previous.conversation });
    const { request: chat, settings, toolNamespaces, ignoredFields } = parsed;
    if (ignoredFields.length > 0) response.setHeader('x-nachos-ignored-fields', headerSafeList(ignoredFields));
    const envelope: ResponseEnvelope = { id: createResponsesId('resp'), createdAt: Math.floor(Date.now() / 1000), model: chat.model, settings, toolNamespaces };
    if (!parsed.store) return answerUnstored(response, client, chat, envelope);
    const kept: KeptTurn = { store, logger, owner, input: (request.body as JsonObject).input, conversation: previous?.conversation ?? [] };
    return answerStored(response, client, chat, envelope, kept);
  };
}

type ResponseEnvelope = ConstructorParameters<typeof ResponsesStreamEncoder>[0];

/** What storing an answer takes besides the answer: where, whose, and the turn's input after the conversation so far. */
interface KeptTurn {
  store: ResponsesStore;
  logger: Logger;
  owner: string;
  input: JsonValue | undefined;
  conversation: readonly JsonValue[];
}

function answerUnstored(response: Response, client: LlmProxyClient, chat: ChatRequest, envelope: ResponseEnvelope): Promise<void> {
  return runChatExchange(response, {
    client,
    request: chat,
    encoder: () => new ResponsesStreamEncoder(envelope),
    respond: (aggregated) => buildOpenAIResponse(aggregated, envelope),
  });
}

function answerStored(response: Response, client: LlmProxyClient, chat: ChatRequest, envelope: ResponseEnvelope, turn: KeptTurn): Promise<void> {
  let answer: JsonObject | undefined;
  let encoder: ResponsesStreamEncoder | undefined;
  return runChatExchange(response, {
    client,
    request: chat,
    encoder: () => (encoder = new ResponsesStreamEncoder(envelope)),
    respond: (aggregated) => (answer = buildOpenAIResponse(aggregated, envelope) as unknown as JsonObject),
    beforeFinish: async () => {
      const kept = answer ?? (encoder?.completed as unknown as JsonObject | undefined);
      if (!kept) return;
      const inputItems = responsesInputItems(turn.input);
      const output = Array.isArray(kept.output) ? kept.output : [];
      const conversation: JsonValue[] = [...turn.conversation, ...inputItems, ...output];
      await keep(turn.store, turn.logger, turn.owner, envelope.id, { response: kept, inputItems, conversation }, response);
    },
  });
}

/**
 * The rest of the Responses API: `GET`/`DELETE /responses/{id}` and `GET /responses/{id}/input_items` over
 * what `POST /responses` kept. Every stored response belongs to the gateway key that created it; to any
 * other key it does not exist.
 */
export function responsesRoutes(store: ResponsesStore): Router {
  const router = Router();

  router.get('/responses/:id', async (request, response) => {
    const stored = await find(store, ownerOf(response), request.params.id, 'response_id');
    response.json(stored.response);
  });

  router.delete('/responses/:id', async (request, response) => {
    const { id } = request.params;
    if (!(await store.delete(ownerOf(response), id).catch(unavailable))) throw notFound(id, 'response_id');
    response.json({ id, object: 'response', deleted: true });
  });

  router.get('/responses/:id/input_items', async (request, response) => {
    const stored = await find(store, ownerOf(response), request.params.id, 'response_id');
    response.json(listPage(stored.inputItems, request.query));
  });

  return router;
}

/** Who owns what is stored: the gateway key's name (one shared owner when the gateway runs without keys). */
function ownerOf(response: Response): string {
  return requestScopeOf(response)?.caller.keyName ?? ANONYMOUS_CALLER;
}

async function find(store: ResponsesStore, owner: string, id: string, param: string) {
  const stored = await store.get(owner, id).catch(unavailable);
  if (!stored) throw notFound(id, param);
  return stored;
}

/** A response that cannot be kept is still answered; what was not kept is logged, never its content. */
async function keep(store: ResponsesStore, logger: Logger, owner: string, id: string, stored: Parameters<ResponsesStore['save']>[2], response: Response) {
  const requestId = response.locals.requestId as string;
  try {
    if (!(await store.save(owner, id, stored))) logger.warn('response too large to store', { requestId, responseId: id });
  } catch (error) {
    logger.error('response not stored', { requestId, responseId: id, error: (error as Error).message });
  }
}

function notFound(id: string, param: string): GatewayError {
  return new GatewayError({ kind: 'not_found', message: `Response with id '${id}' not found.`, param });
}

function unavailable(error: unknown): never {
  throw new GatewayError({ kind: 'unavailable', message: `Stored responses are unavailable right now (${(error as Error).message}).` });
}

/** OpenAI's cursor page over input items: `order` (desc by default), `limit` (20, at most 100), `after`. */
function listPage(items: JsonObject[], query: unknown) {
  const params = requireObject(query, 'query');
  const order = optionalString(params, 'order') ?? 'desc';
  if (order !== 'asc' && order !== 'desc') throw invalidRequest("'order' must be asc or desc.", 'order');
  const limit = params.limit === undefined ? 20 : Number(params.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw invalidRequest("'limit' must be an integer from 1 to 100.", 'limit');
  const ordered = order === 'asc' ? items : [...items].reverse();
  const after = optionalString(params, 'after');
  const start = after === undefined ? 0 : ordered.findIndex((item) => item.id === after) + 1;
  const data = ordered.slice(start, start + limit);
  return { object: 'list', data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: start + limit < ordered.length };
}
