import { isRecord, ProviderError, type ModelInfo } from '@nachos/plugin-sdk';
import { ANTHROPIC_PLUGIN_ID } from './anthropic-plugin-id.js';

/** One page of `GET /v1/models`, read into model infos, and where the next page starts. */
export interface AnthropicModelsPage {
  models: ModelInfo[];
  /** The `after_id` of the next page, when `has_more` said there is one. */
  nextAfterId?: string;
}

/**
 * Reads one page of Anthropic's model list: ids, release dates, and, where the API reports them, the
 * context window, the maximum output and whether the model reads images and thinks.
 *
 * @see https://docs.anthropic.com/en/api/models-list
 */
export function convertAnthropicModelsResponse(response: unknown): AnthropicModelsPage {
  const data = isRecord(response) ? response['data'] : undefined;
  if (!isRecord(response) || !Array.isArray(data)) {
    throw new ProviderError({ kind: 'internal', message: 'upstream model list has no data array', providerId: ANTHROPIC_PLUGIN_ID });
  }
  const models = (data as unknown[]).flatMap((entry): ModelInfo[] => {
    if (!isRecord(entry) || typeof entry['id'] !== 'string' || entry['id'] === '') {
      return [];
    }
    const model: ModelInfo = {
      id: entry['id'],
      ownedBy: 'anthropic',
      capabilities: { tools: true, embeddings: false, ...readCapabilities(entry['capabilities']) },
    };
    const created = typeof entry['created_at'] === 'string' ? Date.parse(entry['created_at']) : Number.NaN;
    if (!Number.isNaN(created)) {
      model.created = Math.floor(created / 1000);
    }
    if (typeof entry['max_input_tokens'] === 'number') {
      model.contextLength = entry['max_input_tokens'];
    }
    if (typeof entry['max_tokens'] === 'number') {
      model.maxOutputTokens = entry['max_tokens'];
    }
    return [model];
  });
  const lastId = response['last_id'];
  return response['has_more'] === true && typeof lastId === 'string' && lastId !== '' ? { models, nextAfterId: lastId } : { models };
}

function readCapabilities(capabilities: unknown): { vision?: boolean; reasoning?: boolean } {
  if (!isRecord(capabilities)) {
    return {};
  }
  const read = (name: string): boolean | undefined => {
    const capability = capabilities[name];
    return isRecord(capability) && typeof capability['supported'] === 'boolean' ? capability['supported'] : undefined;
  };
  const vision = read('image_input');
  const reasoning = read('thinking');
  return { ...(vision === undefined ? {} : { vision }), ...(reasoning === undefined ? {} : { reasoning }) };
}
