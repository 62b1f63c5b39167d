import { isRecord, ProviderError, type ModelInfo } from '@nachos/plugin-sdk';
import { GOOGLE_PLUGIN_ID } from './google-plugin-id.js';

/** One page of `GET /v1beta/models`, read into model infos, and where the next page starts. */
export interface GeminiModelsPage {
  models: ModelInfo[];
  nextPageToken?: string;
}

/**
 * Reads one page of Gemini's model list, keeping the models this plugin can serve (those that support
 * `generateContent` or `embedContent`), with the `models/` prefix of their names removed.
 *
 * @see https://ai.google.dev/api/models#method:-models.list
 */
export function convertGeminiModelsResponse(response: unknown): GeminiModelsPage {
  if (!isRecord(response)) {
    throw new ProviderError({ kind: 'internal', message: 'upstream model list is not an object', providerId: GOOGLE_PLUGIN_ID });
  }
  const entries = Array.isArray(response['models']) ? (response['models'] as unknown[]) : [];
  const models = entries.flatMap((entry): ModelInfo[] => {
    if (!isRecord(entry) || typeof entry['name'] !== 'string') {
      return [];
    }
    const methods = Array.isArray(entry['supportedGenerationMethods']) ? (entry['supportedGenerationMethods'] as unknown[]) : [];
    const generates = methods.includes('generateContent');
    const embeds = methods.includes('embedContent') || methods.includes('batchEmbedContents');
    const id = entry['name'].replace(/^models\//, '');
    if ((!generates && !embeds) || id === '') {
      return [];
    }
    const model: ModelInfo = { id, ownedBy: 'google', capabilities: { embeddings: embeds && !generates } };
    if (typeof entry['inputTokenLimit'] === 'number') {
      model.contextLength = entry['inputTokenLimit'];
    }
    if (typeof entry['outputTokenLimit'] === 'number' && generates) {
      model.maxOutputTokens = entry['outputTokenLimit'];
    }
    if (typeof entry['thinking'] === 'boolean' && model.capabilities !== undefined) {
      model.capabilities.reasoning = entry['thinking'];
    }
    return [model];
  });
  const token = response['nextPageToken'];
  return typeof token === 'string' && token !== '' ? { models, nextPageToken: token } : { models };
}
