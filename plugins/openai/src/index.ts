import { createOpenAICompatiblePlugin, readModelCatalogue } from '@nachos/plugin-sdk';
import { applyOpenAIModelRules } from './apply-openai-model-rules.js';

/**
 * OpenAI (api.openai.com, or anything at `OPENAI_BASE_URL` that is OpenAI proper). The catalogue lives
 * in `models.json`, which the build copies into `dist/`, so that model facts change without code.
 */
export default createOpenAICompatiblePlugin({
  id: 'openai',
  displayName: 'OpenAI',
  defaultBaseUrl: 'https://api.openai.com/v1',
  apiKeyEnv: 'OPENAI_API_KEY',
  requiresApiKey: true,
  catalogue: readModelCatalogue(new URL('./models.json', import.meta.url)),
  modelFamilies: ['gpt-*', 'chatgpt-*', 'o1', 'o1-*', 'o3', 'o3-*', 'o4-*', 'codex-*', 'text-embedding-*'],
  configSchema: {
    organization: { doc: 'Sent as OpenAI-Organization, for keys that belong to several organizations.', format: String, default: '' },
    project: { doc: 'Sent as OpenAI-Project, to bill a project other than the key default.', format: String, default: '' },
  },
  headers: (options) => ({
    'openai-organization': nonEmpty(options['organization']),
    'openai-project': nonEmpty(options['project']),
  }),
  transformRequest: applyOpenAIModelRules,
  choices: true,
});

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
