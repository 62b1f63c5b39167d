import { defineProviderPlugin } from '@nachos/plugin-sdk';
import { createOllamaProvider, OLLAMA_DEFAULT_BASE_URL, OLLAMA_PROVIDER_ID } from './create-ollama-provider.js';
import { loadOllamaCatalogue } from './load-ollama-catalogue.js';
import { ollamaConfigSchema, type OllamaOptions } from './ollama-options.js';

/**
 * Ollama through its native API. Keyless: setting `OLLAMA_HOST` (`host:port` or a URL) is what
 * turns it on. A hosted or proxied Ollama that wants a key gets one through the endpoint's
 * `api_key_env`; it is sent as a bearer token.
 */
export default defineProviderPlugin<OllamaOptions>({
  id: OLLAMA_PROVIDER_ID,
  displayName: 'Ollama',
  defaultBaseUrl: OLLAMA_DEFAULT_BASE_URL,
  baseUrlEnv: 'OLLAMA_HOST',
  requiresApiKey: false,
  configSchema: ollamaConfigSchema,
  catalogue: loadOllamaCatalogue(),
  createProvider: createOllamaProvider,
});
