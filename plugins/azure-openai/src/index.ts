import { defineProviderPlugin, readModelCatalogue } from '@nachos/plugin-sdk';
import { azureOpenAIConfigSchema, type AzureOpenAIOptions } from './azure-openai-options.js';
import {
  AZURE_OPENAI_API_KEY_ENV,
  AZURE_OPENAI_PROVIDER_ID,
  createAzureOpenAIProvider,
  openAICompatibleConfigSchema,
} from './create-azure-openai-provider.js';

/**
 * Azure OpenAI. `AZURE_OPENAI_API_KEY` with `AZURE_OPENAI_ENDPOINT` (the resource URL, as Microsoft's
 * SDKs read it) turns it on; there is no default endpoint. The catalogue names the models Azure
 * hosts, served by deployments of the same name unless `deployments` maps them elsewhere.
 */
export default defineProviderPlugin<AzureOpenAIOptions>({
  id: AZURE_OPENAI_PROVIDER_ID,
  displayName: 'Azure OpenAI',
  apiKeyEnv: AZURE_OPENAI_API_KEY_ENV,
  baseUrlEnv: 'AZURE_OPENAI_ENDPOINT',
  requiresApiKey: true,
  configSchema: { ...openAICompatibleConfigSchema, ...azureOpenAIConfigSchema },
  catalogue: readModelCatalogue(new URL('./models.json', import.meta.url)),
  createProvider: createAzureOpenAIProvider,
});
