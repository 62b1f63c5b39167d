import type { OpenAICompatibleOptions, PluginConfigSchema } from '@nachos/plugin-sdk';
import { validateDeployments } from './read-deployments.js';

/** An Azure OpenAI endpoint's options (`[endpoints.<id>.options]`), beside the shared ones. */
export interface AzureOpenAIOptions extends OpenAICompatibleOptions {
  api_version: string;
  /** A table of model → deployment, or a list of `model=deployment` (see `readDeployments`). */
  deployments: Record<string, string> | string[];
  use_v1_api: boolean;
}

/** The GA data-plane version every Azure OpenAI resource serves. */
export const DEFAULT_AZURE_API_VERSION = '2024-10-21';

export const azureOpenAIConfigSchema: PluginConfigSchema = {
  api_version: {
    doc: 'The `api-version` of deployment URLs (`2024-10-21`, `2025-04-01-preview`); unused with use_v1_api.',
    format: String,
    default: DEFAULT_AZURE_API_VERSION,
  },
  deployments: {
    doc: 'Deployment name per model: { "gpt-4o" = "my-gpt4o" }, or ["gpt-4.1=my-gpt41"] for names with dots; a model without an entry uses a deployment named like the model.',
    format: validateDeployments,
    default: {},
  },
  use_v1_api: {
    doc: 'Call the newer `/openai/v1/` surface (no api-version, deployment named in the body) instead of deployment URLs.',
    format: Boolean,
    default: false,
  },
};
