import { createOpenAICompatiblePlugin, type OpenAICompatibleOptions, type ProviderPlugin } from '@nachos/plugin-sdk';
import { applyHostQuirks } from './apply-host-quirks.js';
import type { HostPreset } from './host-preset.js';

/**
 * A preset served as a provider of its own (`groq`, keyed by `GROQ_API_KEY`, base URL overridable with
 * `GROQ_BASE_URL`), built on the SDK's OpenAI-compatible factory with the host's quirks applied to
 * every request.
 */
export function createPresetPlugin(preset: HostPreset): ProviderPlugin<OpenAICompatibleOptions> {
  return createOpenAICompatiblePlugin({
    id: preset.id,
    displayName: preset.displayName,
    defaultBaseUrl: preset.baseUrl,
    ...(preset.apiKeyEnv === undefined ? {} : { apiKeyEnv: preset.apiKeyEnv }),
    requiresApiKey: preset.requiresApiKey,
    catalogue: preset.catalogue,
    ...(preset.modelFamilies === undefined ? {} : { modelFamilies: preset.modelFamilies }),
    transformRequest: (body) => applyHostQuirks(body, preset),
    embeddings: preset.quirks.embeddings ?? true,
    listModels: preset.quirks.listModels ?? true,
  });
}
