import { defineProviderPlugin } from '@nachos/plugin-sdk';
import { MOCK_CATALOGUE } from './mock-catalogue.js';
import { MOCK_CONFIG_SCHEMA, type MockOptions } from './mock-options.js';
import { createMockProvider } from './mock-provider.js';

/**
 * The mock provider: deterministic answers with configurable latency and length, for tests,
 * benchmarks and trying nachos out without a provider key.
 */
export default defineProviderPlugin<MockOptions>({
  id: 'mock',
  displayName: 'Mock (deterministic, offline)',
  requiresApiKey: false,
  // Nothing is fetched; the URL only names the endpoint in logs and listings.
  defaultBaseUrl: 'mock://local',
  configSchema: MOCK_CONFIG_SCHEMA,
  catalogue: MOCK_CATALOGUE,
  createProvider: createMockProvider,
});
