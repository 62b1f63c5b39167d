import { defineProviderPlugin } from '@nachos/plugin-sdk';
import { ANTHROPIC_CATALOGUE } from './anthropic-catalogue.js';
import { ANTHROPIC_CONFIG_SCHEMA, type AnthropicOptions } from './anthropic-options.js';
import { ANTHROPIC_PLUGIN_ID } from './anthropic-plugin-id.js';
import { ANTHROPIC_DEFAULT_BASE_URL, createAnthropicProvider } from './create-anthropic-provider.js';

/**
 * Anthropic's Messages API. `ANTHROPIC_BASE_URL` may be written with or without `/v1`
 * (`https://api.anthropic.com`, as the Anthropic SDK and Claude Code take it, works as is).
 */
export default defineProviderPlugin<AnthropicOptions>({
  id: ANTHROPIC_PLUGIN_ID,
  displayName: 'Anthropic',
  defaultBaseUrl: ANTHROPIC_DEFAULT_BASE_URL,
  apiKeyEnv: 'ANTHROPIC_API_KEY',
  baseUrlEnv: 'ANTHROPIC_BASE_URL',
  requiresApiKey: true,
  configSchema: ANTHROPIC_CONFIG_SCHEMA,
  catalogue: ANTHROPIC_CATALOGUE,
  names: ['claude'],
  modelFamilies: ['claude-*'],
  createProvider: createAnthropicProvider,
});
