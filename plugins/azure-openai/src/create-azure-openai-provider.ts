import {
  type CallOptions,
  type ChatRequest,
  createOpenAICompatiblePlugin,
  type EmbedRequest,
  type EmbedResult,
  type ModelInfo,
  type Provider,
  type ProviderContext,
  ProviderError,
  type StreamEvent,
} from '@nachos/plugin-sdk';
import type { AzureOpenAIOptions } from './azure-openai-options.js';
import { azureDeploymentBaseUrl, azureResourceRoot, azureV1BaseUrl } from './azure-openai-urls.js';
import { fitBodyToModel } from './fit-body-to-model.js';
import { readDeployments } from './read-deployments.js';
import { RecentValues } from './recent-values.js';

export const AZURE_OPENAI_PROVIDER_ID = 'azure-openai';
export const AZURE_OPENAI_API_KEY_ENV = 'AZURE_OPENAI_API_KEY';

/** Deployment providers kept per endpoint: more than a resource usually has, few enough to cost nothing. */
const PROVIDERS_KEPT = 64;

/**
 * Azure speaks OpenAI Chat Completions, so the SDK's factory does the talking; this plugin only
 * decides where each call goes and how the key travels (`api-key` header, not `Authorization`).
 * Azure's stream differences (a first chunk holding only prompt filter results, with empty id and
 * model; `finish_reason: "content_filter"`) are read by the SDK's stream reader as they are.
 */
const azureDialect = createOpenAICompatiblePlugin({
  id: AZURE_OPENAI_PROVIDER_ID,
  apiKeyEnv: AZURE_OPENAI_API_KEY_ENV,
  requiresApiKey: true,
  catalogue: [],
  auth: { header: 'api-key' },
  // Classic deployment URLs ignore the body's model; the v1 surface reads the deployment from it.
  transformRequest: (body, request, options) => {
    const fitted = fitBodyToModel(body, request.model);
    return options['use_v1_api'] === true ? { ...fitted, model: deploymentFor(request.model, readDeployments(options['deployments'])) } : fitted;
  },
  listModels: false,
  choices: true,
});

/** The options every OpenAI-compatible plugin takes (`timeout_ms`, `stream_usage`, `choices`). */
export const openAICompatibleConfigSchema = azureDialect.configSchema;

/**
 * One Azure OpenAI resource. Classic mode calls
 * `{endpoint}/openai/deployments/{deployment}/chat/completions?api-version=…` (and `/embeddings`),
 * one deployment per model; v1 mode calls `{endpoint}/openai/v1/chat/completions` with the deployment
 * as the model. A model's deployment is `options.deployments[model]`, or the model's own name.
 */
export async function createAzureOpenAIProvider(context: ProviderContext<AzureOpenAIOptions>): Promise<Provider> {
  const { endpoint, options } = context;
  const root = azureResourceRoot(endpoint.baseUrl);
  if (root === '') {
    throw new ProviderError({
      kind: 'invalid_request',
      message: `endpoint ${endpoint.id} has no Azure OpenAI endpoint URL (set AZURE_OPENAI_ENDPOINT)`,
      providerId: AZURE_OPENAI_PROVIDER_ID,
    });
  }
  const deployments = readDeployments(options.deployments);
  // A model without a mapping is its own deployment, so clients choose these keys: kept bounded.
  const providers = new RecentValues<string, Promise<Provider>>(PROVIDERS_KEPT);
  /** The provider for one base URL, kept for reuse: the factory's provider holds no per-call state. */
  const providerAt = (baseUrl: string): Promise<Provider> =>
    providers.get(baseUrl, () => Promise.resolve(azureDialect.createProvider({ ...context, endpoint: { ...endpoint, baseUrl } })));
  const providerFor = (model: string): Promise<Provider> =>
    providerAt(options.use_v1_api ? azureV1BaseUrl(root) : azureDeploymentBaseUrl(root, deploymentFor(model, deployments), options.api_version));

  return {
    async *chat(request: ChatRequest, callOptions: CallOptions): AsyncGenerator<StreamEvent> {
      yield* (await providerFor(request.model)).chat(request, callOptions);
    },

    answersChoices: options.choices,

    embedsTokenIds: true,

    async embed(request: EmbedRequest, callOptions: CallOptions): Promise<EmbedResult> {
      const provider = await providerFor(request.model);
      const upstreamRequest = options.use_v1_api ? { ...request, model: deploymentFor(request.model, deployments) } : request;
      return { ...(await provider.embed!(upstreamRequest, callOptions)), model: request.model };
    },

    /**
     * Azure lists base models, not deployments, so nothing is asked upstream: the models this
     * endpoint serves beyond the catalogue are the ones the operator mapped to deployments.
     */
    listModels(): Promise<ModelInfo[]> {
      return Promise.resolve([...deployments.keys()].map((id) => ({ id })));
    },
  };
}

function deploymentFor(model: string, deployments: ReadonlyMap<string, string>): string {
  return deployments.get(model) ?? model;
}
