import { defineProviderPlugin } from '@nachos/plugin-sdk';
import { createGoogleProvider, GOOGLE_DEFAULT_BASE_URL } from './create-google-provider.js';
import { GOOGLE_CATALOGUE } from './google-catalogue.js';
import { GOOGLE_CONFIG_SCHEMA, type GoogleOptions } from './google-options.js';
import { GOOGLE_PLUGIN_ID } from './google-plugin-id.js';

/**
 * Google's Gemini API (`generativelanguage.googleapis.com`). The key comes from `GOOGLE_API_KEY` or
 * `GEMINI_API_KEY`; `GOOGLE_BASE_URL` may be written with or without the version path.
 */
export default defineProviderPlugin<GoogleOptions>({
  id: GOOGLE_PLUGIN_ID,
  displayName: 'Google Gemini',
  defaultBaseUrl: GOOGLE_DEFAULT_BASE_URL,
  apiKeyEnv: ['GOOGLE_API_KEY', 'GEMINI_API_KEY'],
  baseUrlEnv: 'GOOGLE_BASE_URL',
  requiresApiKey: true,
  configSchema: GOOGLE_CONFIG_SCHEMA,
  catalogue: GOOGLE_CATALOGUE,
  names: ['gemini'],
  modelFamilies: ['gemini-*', 'gemma-*'],
  createProvider: createGoogleProvider,
});
