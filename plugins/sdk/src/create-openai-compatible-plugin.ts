import { cancellationOf } from './cancellation-of.js';
import type { ChatRequest } from './chat-request.js';
import { convertOpenAIEmbeddingsResponse } from './convert-openai-embeddings-response.js';
import { convertOpenAIModelsResponse } from './convert-openai-models-response.js';
import { convertToOpenAIChatBody } from './convert-to-openai-chat-body.js';
import { deferEvents } from './defer-events.js';
import type { EmbedRequest, EmbedResult } from './embed-request.js';
import { fetchUpstream, type UpstreamAuth } from './fetch-upstream.js';
import { joinUrl } from './join-url.js';
import { mergeHeaders } from './merge-headers.js';
import type { ModelInfo } from './model-info.js';
import type { OpenAIChatBody } from './openai-chat-body.js';
import { OpenAIChatChoicesEventBuilder } from './openai-chat-choices-event-builder.js';
import { convertOpenAIChatResponse, convertOpenAIChatSse } from './openai-chat-stream-to-events.js';
import type { HeaderReader } from './parse-retry-after.js';
import { ProviderError } from './provider-error.js';
import {
  type CallOptions,
  defineProviderPlugin,
  type PluginConfigSchema,
  type Provider,
  type ProviderContext,
  type ProviderPlugin,
} from './provider-plugin.js';
import type { Secret } from './secret.js';
import type { StreamEvent } from './stream-event.js';

/** The endpoint options every OpenAI-compatible plugin accepts, plus whatever its own schema adds. */
export interface OpenAICompatibleOptions {
  timeout_ms: number;
  stream_usage: boolean;
  choices: boolean;
  [option: string]: unknown;
}

export interface OpenAICompatiblePluginSettings {
  id: string;
  displayName?: string;
  /** With the version path, like `OPENAI_BASE_URL`: `https://api.groq.com/openai/v1`. */
  defaultBaseUrl?: string;
  apiKeyEnv?: string;
  /** Default true; false for local servers that take no key. */
  requiresApiKey?: boolean;
  catalogue: readonly ModelInfo[];
  /** See {@link ProviderPlugin.names}. */
  names?: readonly string[];
  /** See {@link ProviderPlugin.modelFamilies}. */
  modelFamilies?: readonly string[];
  /** Options of this plugin beyond the shared `timeout_ms` and `stream_usage` (convict-style). */
  configSchema?: PluginConfigSchema;
  /** Adjusts the converted body to the host's rules (reasoning models, unsupported fields). */
  transformRequest?: (body: OpenAIChatBody, request: ChatRequest, options: Readonly<OpenAICompatibleOptions>) => OpenAIChatBody;
  /** Headers the host needs on every call, derived from the endpoint's options. */
  headers?: (options: Readonly<OpenAICompatibleOptions>) => Record<string, string | undefined>;
  /** How the key travels; `Authorization: Bearer <key>` unless said otherwise. */
  auth?: { header: string; prefix?: string };
  /** Whether the host serves `POST /embeddings` (default true). */
  embeddings?: boolean;
  /** Whether the host serves `GET /models` (default true). */
  listModels?: boolean;
  /** Whether the host answers `n` > 1 itself, every choice in one call (default false; the `choices` option overrides it). */
  choices?: boolean;
}

/**
 * Builds a complete provider plugin for a host that speaks OpenAI Chat Completions, so that adding
 * one is a handful of lines:
 *
 * ```ts
 * export default createOpenAICompatiblePlugin({
 *   id: 'groq', defaultBaseUrl: 'https://api.groq.com/openai/v1', apiKeyEnv: 'GROQ_API_KEY',
 *   catalogue: [{ id: 'llama-3.3-70b-versatile', capabilities: { tools: true } }],
 * });
 * ```
 *
 * Chat streams over SSE (or answers in one JSON body when the request is not streamed, or when the
 * host ignores `stream`), `embed` posts to `/embeddings`, `listModels` reads `/models`. Every failure
 * is a `ProviderError` carrying the plugin id.
 */
export function createOpenAICompatiblePlugin(settings: OpenAICompatiblePluginSettings): ProviderPlugin<OpenAICompatibleOptions> {
  return defineProviderPlugin<OpenAICompatibleOptions>({
    id: settings.id,
    ...(settings.displayName === undefined ? {} : { displayName: settings.displayName }),
    ...(settings.defaultBaseUrl === undefined ? {} : { defaultBaseUrl: settings.defaultBaseUrl }),
    ...(settings.apiKeyEnv === undefined ? {} : { apiKeyEnv: settings.apiKeyEnv }),
    requiresApiKey: settings.requiresApiKey ?? true,
    configSchema: {
      ...SHARED_CONFIG_SCHEMA,
      choices: {
        doc: 'The host answers `n` > 1 itself, every choice in one call (else the gateway makes a call per choice).',
        format: Boolean,
        default: settings.choices ?? false,
      },
      ...settings.configSchema,
    },
    catalogue: settings.catalogue,
    ...(settings.names === undefined ? {} : { names: settings.names }),
    ...(settings.modelFamilies === undefined ? {} : { modelFamilies: settings.modelFamilies }),
    createProvider: (context) => createOpenAICompatibleProvider(settings, context),
  });
}

const SHARED_CONFIG_SCHEMA: PluginConfigSchema = {
  timeout_ms: {
    doc: 'Budget for one upstream call, streamed body included, in milliseconds (0: none).',
    format: 'nat',
    default: 600_000,
  },
  stream_usage: {
    doc: 'Ask for token usage in streams (`stream_options.include_usage`); turn off for hosts that reject it.',
    format: Boolean,
    default: true,
  },
};

function createOpenAICompatibleProvider(
  settings: OpenAICompatiblePluginSettings,
  context: ProviderContext<OpenAICompatibleOptions>,
): Provider {
  const { endpoint, options, logger } = context;
  const baseUrl = endpoint.baseUrl === '' ? settings.defaultBaseUrl : endpoint.baseUrl;
  if (baseUrl === undefined || baseUrl === '') {
    throw new ProviderError({ kind: 'invalid_request', message: `endpoint ${endpoint.id} has no base URL`, providerId: settings.id });
  }

  // What every call shares, made once: the URLs, and how the endpoint's own key travels.
  const urls = { chat: joinUrl(baseUrl, 'chat/completions'), embeddings: joinUrl(baseUrl, 'embeddings'), models: joinUrl(baseUrl, 'models') };
  const { header, prefix } = settings.auth ?? { header: 'authorization', prefix: 'Bearer ' };
  const authWith = (secret: Secret): UpstreamAuth => (prefix === undefined ? { header, secret } : { header, prefix, secret });
  const endpointAuth = endpoint.apiKey === undefined ? undefined : authWith(endpoint.apiKey);

  const call = (url: string, callOptions: CallOptions, body?: unknown, accept?: string) => {
    const auth = callOptions.apiKey === undefined ? endpointAuth : authWith(callOptions.apiKey);
    if (auth === undefined && (settings.requiresApiKey ?? true)) {
      throw new ProviderError({
        kind: 'authentication',
        message: `endpoint ${endpoint.id} has no API key${settings.apiKeyEnv === undefined ? '' : ` (set ${settings.apiKeyEnv})`}`,
        providerId: settings.id,
      });
    }
    return fetchUpstream(
      { url, body, headers: mergeHeaders(settings.headers?.(options), endpoint.headers, callOptions.headers), accept },
      {
        dispatcher: context.dispatcher,
        signal: cancellationOf(callOptions),
        progress: callOptions.onUpstreamProgress,
        timeoutMs: options.timeout_ms,
        requestId: callOptions.requestId,
        auth,
        providerId: settings.id,
      },
    );
  };

  return {
    chat(request: ChatRequest, callOptions: CallOptions): AsyncIterable<StreamEvent> {
      return deferEvents(async () => {
        let body = convertToOpenAIChatBody(request);
        if (!options.stream_usage) {
          delete body.stream_options;
        }
        // llm-proxy sends `choices` only because this provider answers them (`answersChoices`).
        if (request.choices !== undefined) body.n = request.choices;
        body = settings.transformRequest?.(body, request, options) ?? body;
        logger.debug('chat request upstream', { endpoint: endpoint.id, model: body.model, stream: body.stream });
        const upstream = await call(urls.chat, callOptions, body, body.stream ? 'text/event-stream' : 'application/json');
        const conversion = { requestModel: request.model, providerId: settings.id };
        const builder = request.choices === undefined ? undefined : new OpenAIChatChoicesEventBuilder(conversion);
        // A host that ignores `stream` answers in the other form; read what came rather than fail.
        if (!isStreamed(upstream.headers, body.stream === true)) {
          return convertOpenAIChatResponse(await upstream.json(), conversion, builder);
        }
        return convertOpenAIChatSse(upstream.body(), conversion, builder);
      });
    },

    answersChoices: options.choices,

    ...(settings.embeddings === false
      ? {}
      : {
          embedsTokenIds: true,
          async embed(request: EmbedRequest, callOptions: CallOptions): Promise<EmbedResult> {
            const body = {
              model: request.model,
              input: request.tokens ?? request.input,
              encoding_format: 'float',
              ...(request.dimensions === undefined ? {} : { dimensions: request.dimensions }),
              ...(request.user === undefined ? {} : { user: request.user }),
            };
            const upstream = await call(urls.embeddings, callOptions, body);
            return convertOpenAIEmbeddingsResponse(await upstream.json(), request.tokens?.length ?? request.input.length, request.model, settings.id);
          },
        }),

    ...(settings.listModels === false
      ? {}
      : {
          async listModels(callOptions: CallOptions): Promise<ModelInfo[]> {
            const upstream = await call(urls.models, callOptions);
            return convertOpenAIModelsResponse(await upstream.json(), settings.id);
          },
        }),
  };
}

/** A stream was asked for and the answer is not JSON, or the answer is an event stream whatever was asked. */
function isStreamed(headers: HeaderReader, requested: boolean): boolean {
  const type = (headers.get('content-type') ?? '').toLowerCase();
  return requested ? !type.includes('application/json') : type.includes('text/event-stream');
}
