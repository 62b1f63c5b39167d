import {
  cancellationOf,
  deferEvents,
  encodePathSegment,
  encodePathSegments,
  fetchUpstream,
  isRecord,
  joinUrl,
  mergeHeaders,
  ProviderError,
  type CallOptions,
  type ChatRequest,
  type EmbedRequest,
  type EmbedResult,
  type ModelInfo,
  type Provider,
  type ProviderContext,
  type Secret,
  type StreamEvent,
  type UpstreamResponse,
} from '@nachos/plugin-sdk';
import { convertGeminiModelsResponse } from './convert-gemini-models-response.js';
import { convertToGeminiRequest } from './convert-to-gemini-request.js';
import { fetchImageAsInlineData } from './fetch-image-as-inline-data.js';
import { convertGeminiResponse, convertGeminiStream } from './gemini-stream-to-events.js';
import type { GoogleOptions } from './google-options.js';
import { GOOGLE_PLUGIN_ID } from './google-plugin-id.js';
import { resolveGeminiApiBase } from './resolve-gemini-api-base.js';

/** Used when neither the endpoint nor `GOOGLE_BASE_URL` names a base URL. */
export const GOOGLE_DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com/v1beta';

/** Model list pages to read at most: a guard against an upstream whose page token never ends. */
const MAX_MODEL_PAGES = 20;

/**
 * One Gemini API endpoint: chat over `generateContent` / `streamGenerateContent?alt=sse`, embeddings
 * over `batchEmbedContents`, the model list and token counting. The key travels only in the
 * `x-goog-api-key` header, never as `?key=` in a URL, where logs and proxies would keep it.
 */
export function createGoogleProvider(context: ProviderContext<GoogleOptions>): Provider {
  const { endpoint, options, logger } = context;
  const apiBase = resolveGeminiApiBase(endpoint.baseUrl === '' ? GOOGLE_DEFAULT_BASE_URL : endpoint.baseUrl);

  const keyFor = (callOptions: CallOptions): Secret => {
    const secret = callOptions.apiKey ?? endpoint.apiKey;
    if (secret === undefined) {
      throw new ProviderError({
        kind: 'authentication',
        message: `endpoint ${endpoint.id} has no API key (set GOOGLE_API_KEY or GEMINI_API_KEY)`,
        providerId: GOOGLE_PLUGIN_ID,
      });
    }
    return secret;
  };

  const call = (path: string, callOptions: CallOptions, body?: unknown, accept?: string): Promise<UpstreamResponse> => {
    const secret = keyFor(callOptions);
    return fetchUpstream(
      {
        url: joinUrl(apiBase, path),
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
        auth: { header: 'x-goog-api-key', secret },
        providerId: GOOGLE_PLUGIN_ID,
      },
    );
  };

  const convertRequest = (request: ChatRequest, callOptions: CallOptions) =>
    convertToGeminiRequest(request, {
      loadImage: (url) =>
        fetchImageAsInlineData(url, {
          fetch: context.fetch,
          signal: callOptions.signal,
          maxBytes: options.max_image_bytes,
          allowPrivateNetworks: options.allow_private_image_urls,
          timeoutMs: options.timeout_ms,
        }),
    });

  return {
    chat(request: ChatRequest, callOptions: CallOptions): AsyncIterable<StreamEvent> {
      return deferEvents(async () => {
        keyFor(callOptions); // before any image download
        const body = await convertRequest(request, callOptions);
        logger.debug('chat request upstream', { endpoint: endpoint.id, model: request.model, stream: request.stream });
        const model = modelPath(request.model);
        const conversion = { requestModel: request.model };
        if (!request.stream) {
          const upstream = await call(`${model}:generateContent`, callOptions, body);
          return convertGeminiResponse(await upstream.json(), conversion);
        }
        const upstream = await call(`${model}:streamGenerateContent?alt=sse`, callOptions, body, 'text/event-stream');
        // Without SSE framing (a proxy that dropped `alt=sse`) the stream is one JSON array.
        if ((upstream.headers.get('content-type') ?? '').toLowerCase().includes('application/json')) {
          return convertGeminiResponse(await upstream.json(), conversion);
        }
        return convertGeminiStream(upstream.body(), conversion);
      });
    },

    async embed(request: EmbedRequest, callOptions: CallOptions): Promise<EmbedResult> {
      const model = modelPath(request.model);
      const body = {
        requests: request.input.map((text) => ({
          model,
          content: { parts: [{ text }] },
          ...(request.dimensions === undefined ? {} : { outputDimensionality: request.dimensions }),
        })),
      };
      const upstream = await call(`${model}:batchEmbedContents`, callOptions, body);
      return {
        model: request.model,
        embeddings: readEmbeddings(await upstream.json(), request.input.length),
        // Gemini reports no token count for embeddings; a four-characters-a-token estimate keeps metering and limits meaningful.
        usage: { inputTokens: request.input.reduce((total, text) => total + Math.ceil(text.length / 4), 0) },
      };
    },

    async listModels(callOptions: CallOptions): Promise<ModelInfo[]> {
      const models: ModelInfo[] = [];
      let pageToken: string | undefined;
      for (let page = 0; page < MAX_MODEL_PAGES; page += 1) {
        const query = pageToken === undefined ? 'models?pageSize=1000' : `models?pageSize=1000&pageToken=${encodeURIComponent(pageToken)}`;
        const converted = convertGeminiModelsResponse(await (await call(query, callOptions)).json());
        models.push(...converted.models);
        pageToken = converted.nextPageToken;
        if (pageToken === undefined) {
          break;
        }
      }
      return models;
    },

    async countTokens(request: ChatRequest, callOptions: CallOptions): Promise<number> {
      const { contents, systemInstruction, tools } = await convertRequest(request, callOptions);
      const model = modelPath(request.model);
      const generateContentRequest = {
        model,
        contents,
        ...(systemInstruction === undefined ? {} : { systemInstruction }),
        ...(tools === undefined ? {} : { tools }),
      };
      const response = await (await call(`${model}:countTokens`, callOptions, { generateContentRequest })).json();
      const count = isRecord(response) ? response['totalTokens'] : undefined;
      if (typeof count !== 'number') {
        throw new ProviderError({ kind: 'internal', message: 'upstream token count has no totalTokens', providerId: GOOGLE_PLUGIN_ID });
      }
      return count;
    },
  };
}

/**
 * `gemini-2.5-flash` → `models/gemini-2.5-flash`; a full resource name (`tunedModels/…`) keeps its
 * segments. Either way each segment is encoded on its own and none may be a dot segment, so no model
 * id can move the request (and the key) outside the API root.
 */
function modelPath(model: string): string {
  return model.includes('/')
    ? encodePathSegments(model, 'model id', GOOGLE_PLUGIN_ID)
    : `models/${encodePathSegment(model, 'model id', GOOGLE_PLUGIN_ID)}`;
}

function readEmbeddings(response: unknown, expected: number): number[][] {
  const embeddings = isRecord(response) && Array.isArray(response['embeddings']) ? (response['embeddings'] as unknown[]) : [];
  const vectors = embeddings.map((embedding) =>
    isRecord(embedding) && Array.isArray(embedding['values']) ? (embedding['values'] as unknown[]) : [],
  );
  if (vectors.length !== expected || vectors.some((vector) => vector.length === 0 || vector.some((value) => typeof value !== 'number'))) {
    throw new ProviderError({
      kind: 'internal',
      message: `upstream sent ${vectors.length} embeddings for ${expected} inputs, or a vector that is not numbers`,
      providerId: GOOGLE_PLUGIN_ID,
    });
  }
  return vectors as number[][];
}
