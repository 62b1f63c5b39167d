import {
  type CallOptions,
  createOpenAICompatiblePlugin,
  defineProviderPlugin,
  type ModelInfo,
  type OpenAICompatibleOptions,
  type PluginLogger,
  type Provider,
  ProviderError,
  type ProviderPlugin,
} from '@nachos/plugin-sdk';
import type { HostPreset } from './host-preset.js';
import { selectHostPreset } from './select-host-preset.js';

export const OPENAI_COMPATIBLE_PROVIDER_ID = 'openai-compatible';

/**
 * The generic plugin for any host that speaks OpenAI Chat Completions: the provider of
 * `LLM_PROXY_ENDPOINT_<NAME>_URL` endpoints and of config endpoints without a `provider`. It has no
 * default base URL and needs no key. The `preset` option (or, when empty, the base URL's host) picks
 * a known host's rules and catalogue; the endpoint's own base URL and key still win.
 */
export function createGenericPlugin(
  presets: readonly HostPreset[],
  presetPlugins: ReadonlyMap<string, ProviderPlugin<OpenAICompatibleOptions>>,
): ProviderPlugin<OpenAICompatibleOptions> {
  const plain = createOpenAICompatiblePlugin({
    id: OPENAI_COMPATIBLE_PROVIDER_ID,
    requiresApiKey: false,
    catalogue: [],
    configSchema: {
      preset: {
        doc: 'A known host whose rules and models this endpoint follows; empty: guessed from the base URL host; "none": plain OpenAI.',
        format: ['', 'none', ...presets.map((preset) => preset.id)],
        default: '',
      },
    },
  });
  return defineProviderPlugin<OpenAICompatibleOptions>({
    id: OPENAI_COMPATIBLE_PROVIDER_ID,
    displayName: 'OpenAI-compatible',
    requiresApiKey: false,
    configSchema: plain.configSchema,
    catalogue: [],
    async createProvider(context) {
      const preset = selectHostPreset(String(context.options['preset'] ?? ''), context.endpoint.baseUrl, presets);
      const presetPlugin = preset === undefined ? undefined : presetPlugins.get(preset.id);
      if (preset === undefined || presetPlugin === undefined) {
        return plain.createProvider(context);
      }
      context.logger.debug('endpoint follows a host preset', { endpoint: context.endpoint.id, preset: preset.id });
      return withPresetCatalogue(await presetPlugin.createProvider(context), preset, context.logger);
    },
  });
}

/**
 * This plugin's own catalogue is empty (it cannot know the host), so the preset's catalogue, with the
 * aliases users type (`pplx`, `deepseek-r1`), reaches llm-proxy through the model listing instead,
 * merged with what the host lists. A host that cannot list still serves its catalogue.
 */
function withPresetCatalogue(provider: Provider, preset: HostPreset, logger: PluginLogger): Provider {
  return {
    ...provider,
    async listModels(callOptions: CallOptions): Promise<ModelInfo[]> {
      if (provider.listModels === undefined) {
        return [...preset.catalogue];
      }
      try {
        return mergeModels(preset.catalogue, await provider.listModels(callOptions));
      } catch (error) {
        if (ProviderError.isInstance(error) && error.kind === 'cancelled') {
          throw error;
        }
        logger.warn('host model listing failed; serving the preset catalogue', { preset: preset.id, error: (error as Error).message });
        return [...preset.catalogue];
      }
    },
  };
}

/** Listed models in the host's order, each with the catalogue's facts; unlisted catalogue entries after. */
function mergeModels(catalogue: readonly ModelInfo[], listed: readonly ModelInfo[]): ModelInfo[] {
  const known = new Map(catalogue.map((model) => [model.id, model]));
  const merged = listed.map((model) => ({ ...model, ...known.get(model.id) }));
  const listedIds = new Set(listed.map((model) => model.id));
  return [...merged, ...catalogue.filter((model) => !listedIds.has(model.id))];
}
