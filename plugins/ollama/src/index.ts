import { defineProviderPlugin, readModelCatalogue } from '@nachos/plugin-sdk';
import { createOllamaProvider, OLLAMA_DEFAULT_BASE_URL, OLLAMA_PROVIDER_ID } from './create-ollama-provider.js';
import { ollamaConfigSchema, type OllamaOptions } from './ollama-options.js';

/**
 * Ollama through its native API. Keyless: setting `OLLAMA_HOST` (`host:port` or a URL) is what
 * turns it on. A hosted or proxied Ollama that wants a key gets one through the endpoint's
 * `api_key_env`; it is sent as a bearer token.
 *
 * Ollama serves whatever has been pulled (listed by `/api/tags`); `models.json` only lends context
 * lengths and capabilities to common local models. Its aliases are Ollama tags, never names a cloud
 * provider uses.
 */
export default defineProviderPlugin<OllamaOptions>({
  id: OLLAMA_PROVIDER_ID,
  displayName: 'Ollama',
  defaultBaseUrl: OLLAMA_DEFAULT_BASE_URL,
  baseUrlEnv: 'OLLAMA_HOST',
  requiresApiKey: false,
  configSchema: ollamaConfigSchema,
  catalogue: readModelCatalogue(new URL('./models.json', import.meta.url)),
  createProvider: createOllamaProvider,
});
