import {
  cancellationOf,
  type CallOptions,
  type ChatRequest,
  type EmbedRequest,
  type EmbedResult,
  fetchUpstream,
  mergeHeaders,
  type ModelInfo,
  parseNdjsonStream,
  type Provider,
  type ProviderContext,
  ProviderError,
  type StreamEvent,
  type UpstreamResponse,
} from '@nachos/plugin-sdk';
import { convertOllamaEmbedResponse } from './convert-ollama-embed-response.js';
import { convertOllamaTagsResponse } from './convert-ollama-tags-response.js';
import { convertToOllamaChatBody } from './convert-to-ollama-chat-body.js';
import { ollamaApiUrl } from './ollama-api-url.js';
import { OllamaChatEventBuilder } from './ollama-chat-event-builder.js';
import type { OllamaOptions } from './ollama-options.js';
import type { OllamaChatBody } from './ollama-wire-types.js';
import { readImageAsBase64 } from './read-image-as-base64.js';

export const OLLAMA_PROVIDER_ID = 'ollama';

/** Where `ollama serve` listens unless told otherwise. */
export const OLLAMA_DEFAULT_BASE_URL = 'http://127.0.0.1:11434';

/**
 * One Ollama server, spoken to through its native API: `/api/chat` (NDJSON stream or one JSON
 * body), `/api/embed` and `/api/tags`. A key is optional and travels as a bearer token, which is
 * what hosted Ollama (ollama.com) and reverse proxies in front of a local one expect.
 */
export function createOllamaProvider(context: ProviderContext<OllamaOptions>): Provider {
  const { endpoint, options, logger } = context;
  const baseUrl = endpoint.baseUrl === '' ? OLLAMA_DEFAULT_BASE_URL : endpoint.baseUrl;

  const call = (path: string, callOptions: CallOptions, body?: unknown, accept?: string): Promise<UpstreamResponse> => {
    const apiKey = callOptions.apiKey ?? endpoint.apiKey;
    return fetchUpstream(
      {
        url: ollamaApiUrl(baseUrl, path),
        body,
        headers: mergeHeaders(endpoint.headers, callOptions.headers),
        ...(accept === undefined ? {} : { accept }),
      },
      {
        dispatcher: context.dispatcher,
        signal: cancellationOf(callOptions),
        progress: callOptions.onUpstreamProgress,
        timeoutMs: options.timeout_ms,
        ...(callOptions.requestId === undefined ? {} : { requestId: callOptions.requestId }),
        ...(apiKey === undefined ? {} : { auth: { header: 'authorization', prefix: 'Bearer ', secret: apiKey } }),
        providerId: OLLAMA_PROVIDER_ID,
      },
    );
  };

  /**
   * Sends the chat body. Clients (Codex, Claude Code) ask for reasoning whatever the model, and
   * Ollama refuses `think` for a model that cannot think (HTTP 400 "… does not support thinking"):
   * such a request is sent once more without `think` rather than failed.
   */
  const openChat = async (body: OllamaChatBody, callOptions: CallOptions): Promise<UpstreamResponse> => {
    const accept = body.stream ? 'application/x-ndjson' : 'application/json';
    try {
      return await call('chat', callOptions, body, accept);
    } catch (error) {
      if (body.think === undefined || body.think === false || !isThinkingRefusal(error)) {
        throw error;
      }
      logger.debug('model does not support thinking; asking without it', { endpoint: endpoint.id, model: body.model });
      const withoutThink = { ...body };
      delete withoutThink.think;
      return call('chat', callOptions, withoutThink, accept);
    }
  };

  return {
    async *chat(request: ChatRequest, callOptions: CallOptions): AsyncGenerator<StreamEvent> {
      const body = await convertToOllamaChatBody(request, {
        numCtx: options.num_ctx,
        keepAlive: options.keep_alive,
        providerId: OLLAMA_PROVIDER_ID,
        readImage: (source) =>
          readImageAsBase64(source, {
            fetch: context.fetch,
            signal: callOptions.signal,
            fetchUrls: options.fetch_image_urls,
            allowPrivateNetworks: options.allow_private_image_urls,
            maxBytes: options.max_image_bytes,
            providerId: OLLAMA_PROVIDER_ID,
          }),
      });
      logger.debug('chat request upstream', { endpoint: endpoint.id, model: body.model, stream: body.stream });
      const upstream = await openChat(body, callOptions);
      const builder = new OllamaChatEventBuilder({ requestModel: request.model, providerId: OLLAMA_PROVIDER_ID });
      // A server that streams although told `stream: false` is read as the stream it sent.
      if (!body.stream && !(upstream.headers.get('content-type') ?? '').toLowerCase().includes('ndjson')) {
        yield* builder.accept(await upstream.json());
      } else {
        for await (const line of parseNdjsonStream(upstream.body())) {
          yield* builder.accept(line);
        }
      }
      yield* builder.end();
    },

    async embed(request: EmbedRequest, callOptions: CallOptions): Promise<EmbedResult> {
      const body = {
        model: request.model,
        input: request.input,
        ...(request.dimensions === undefined ? {} : { dimensions: request.dimensions }),
        ...(options.keep_alive === '' ? {} : { keep_alive: options.keep_alive }),
        ...(options.num_ctx > 0 ? { options: { num_ctx: options.num_ctx } } : {}),
      };
      const upstream = await call('embed', callOptions, body);
      return convertOllamaEmbedResponse(await upstream.json(), request.input.length, request.model, OLLAMA_PROVIDER_ID);
    },

    async listModels(callOptions: CallOptions): Promise<ModelInfo[]> {
      const upstream = await call('tags', callOptions);
      return convertOllamaTagsResponse(await upstream.json(), OLLAMA_PROVIDER_ID);
    },
  };
}

function isThinkingRefusal(error: unknown): boolean {
  return ProviderError.isInstance(error) && error.status === 400 && /does not support thinking/i.test(error.message);
}
