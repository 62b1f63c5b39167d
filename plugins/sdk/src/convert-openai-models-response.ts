import type { ModelInfo } from './model-info.js';
import { ProviderError } from './provider-error.js';
import { isRecord } from './is-record.js';
import { readListedCapabilities } from './read-listed-capabilities.js';

/**
 * Reads an OpenAI `GET /models` list into model infos. The list says little beyond ids, and the
 * capabilities some hosts add (see `readListedCapabilities`); llm-proxy merges it with the plugin's
 * static catalogue, which knows context lengths and capabilities.
 *
 * @see https://platform.openai.com/docs/api-reference/models/list
 */
export function convertOpenAIModelsResponse(response: unknown, providerId?: string): ModelInfo[] {
  const data = isRecord(response) ? response['data'] : undefined;
  if (!Array.isArray(data)) {
    throw new ProviderError({ kind: 'internal', message: 'upstream model list has no data array', providerId });
  }
  return (data as unknown[]).flatMap((entry): ModelInfo[] => {
    if (!isRecord(entry) || typeof entry['id'] !== 'string' || entry['id'] === '') {
      return [];
    }
    const model: ModelInfo = { id: entry['id'] };
    if (typeof entry['created'] === 'number') {
      model.created = entry['created'];
    }
    if (typeof entry['owned_by'] === 'string') {
      model.ownedBy = entry['owned_by'];
    }
    const capabilities = readListedCapabilities(entry);
    if (capabilities !== undefined) {
      model.capabilities = capabilities;
    }
    return [model];
  });
}
