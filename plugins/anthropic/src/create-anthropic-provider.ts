import {
  cancellationOf,
  deferEvents,
  fetchUpstream,
  isRecord,
  joinUrl,
  mergeHeaders,
  ProviderError,
  type CallOptions,
  type ChatRequest,
  type HeaderReader,
  type ModelInfo,
  type Provider,
  type ProviderContext,
  type StreamEvent,
  type UpstreamAuth,
  type UpstreamResponse,
} from '@nachos/plugin-sdk';
import type { AnthropicOptions } from './anthropic-options.js';
import { ANTHROPIC_PLUGIN_ID } from './anthropic-plugin-id.js';
import { convertAnthropicMessage, convertAnthropicStream } from './anthropic-stream-to-events.js';
import { convertAnthropicModelsResponse } from './convert-anthropic-models-response.js';
import { convertToAnthropicRequest } from './convert-to-anthropic-request.js';
import { resolveAnthropicApiBase } from './resolve-anthropic-api-base.js';

/** Used when neither the endpoint nor `ANTHROPIC_BASE_URL` names a base URL. */
export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com/v1';

/** The fields `POST /v1/messages/count_tokens` accepts; everything else in a Messages body is refused. */
const COUNT_TOKENS_FIELDS = ['model', 'messages', 'system', 'tools', 'tool_choice', 'thinking', 'output_config', 'cache_control'] as const;

/** Model list pages to read at most: a guard against an upstream whose `has_more` never ends. */
const MAX_MODEL_PAGES = 20;

/**
 * One Anthropic endpoint: chat over the Messages API (streamed, or one JSON body when the client did
 * not ask for a stream), the model list and token counting. Every failure is a `ProviderError`:
 * HTTP errors through the SDK's status table, in-stream `error` events by their Anthropic type.
 */
export function createAnthropicProvider(context: ProviderContext<AnthropicOptions>): Provider {
  const { endpoint, options, logger } = context;
  const apiBase = resolveAnthropicApiBase(endpoint.baseUrl === '' ? ANTHROPIC_DEFAULT_BASE_URL : endpoint.baseUrl);

  const call = (path: string, callOptions: CallOptions, body?: unknown, accept?: string): Promise<UpstreamResponse> => {
    const secret = callOptions.apiKey ?? endpoint.apiKey;
    if (secret === undefined) {
      throw new ProviderError({
        kind: 'authentication',
        message: `endpoint ${endpoint.id} has no API key (set ANTHROPIC_API_KEY)`,
        providerId: ANTHROPIC_PLUGIN_ID,
      });
    }
    const auth: UpstreamAuth =
      options.auth_scheme === 'bearer' ? { header: 'authorization', prefix: 'Bearer ', secret } : { header: 'x-api-key', secret };
    return fetchUpstream(
      {
        url: joinUrl(apiBase, path),
        body,
        headers: mergeHeaders({ 'anthropic-version': options.anthropic_version }, endpoint.headers, callOptions.headers),
        ...(accept === undefined ? {} : { accept }),
      },
      {
        dispatcher: context.dispatcher,
        signal: cancellationOf(callOptions),
        progress: callOptions.onUpstreamProgress,
        timeoutMs: options.timeout_ms,
        ...(callOptions.requestId === undefined ? {} : { requestId: callOptions.requestId }),
        auth,
        providerId: ANTHROPIC_PLUGIN_ID,
      },
    );
  };

  return {
    chat(request: ChatRequest, callOptions: CallOptions): AsyncIterable<StreamEvent> {
      return deferEvents(async () => {
        const body = convertToAnthropicRequest(request, options.default_max_tokens);
        logger.debug('chat request upstream', { endpoint: endpoint.id, model: body.model, stream: body.stream });
        // The client's beta features travel as Anthropic's own header.
        const withBetas = request.anthropicBeta ? { ...callOptions, headers: { ...callOptions.headers, 'anthropic-beta': request.anthropicBeta.join(',') } } : callOptions;
        const upstream = await call('messages', withBetas, body, body.stream === true ? 'text/event-stream' : 'application/json');
        const conversion = { requestModel: request.model };
        // A compatible host that ignores `stream` answers in the other form; read what came rather than fail.
        if (!isStreamed(upstream.headers, body.stream === true)) {
          return convertAnthropicMessage(await upstream.json(), conversion);
        }
        return convertAnthropicStream(upstream.body(), conversion);
      });
    },

    async listModels(callOptions: CallOptions): Promise<ModelInfo[]> {
      const models: ModelInfo[] = [];
      let afterId: string | undefined;
      for (let page = 0; page < MAX_MODEL_PAGES; page += 1) {
        const query = afterId === undefined ? 'models?limit=1000' : `models?limit=1000&after_id=${encodeURIComponent(afterId)}`;
        const upstream = await call(query, callOptions);
        const converted = convertAnthropicModelsResponse(await upstream.json());
        models.push(...converted.models);
        afterId = converted.nextAfterId;
        if (afterId === undefined) {
          break;
        }
      }
      return models;
    },

    async countTokens(request: ChatRequest, callOptions: CallOptions): Promise<number> {
      const messagesBody = convertToAnthropicRequest(request, options.default_max_tokens);
      const body = Object.fromEntries(
        COUNT_TOKENS_FIELDS.flatMap((field) => (messagesBody[field] === undefined ? [] : [[field, messagesBody[field]]])),
      );
      const upstream = await call('messages/count_tokens', callOptions, body);
      const response = await upstream.json();
      const count = isRecord(response) ? response['input_tokens'] : undefined;
      if (typeof count !== 'number') {
        throw new ProviderError({ kind: 'internal', message: 'upstream token count has no input_tokens', providerId: ANTHROPIC_PLUGIN_ID });
      }
      return count;
    },
  };
}

/** A stream was asked for and the answer is not JSON, or the answer is an event stream whatever was asked. */
function isStreamed(headers: HeaderReader, requested: boolean): boolean {
  const type = (headers.get('content-type') ?? '').toLowerCase();
  return requested ? !type.includes('application/json') : type.includes('text/event-stream');
}
