import { isRecord, type ModelCapabilities, type ModelInfo, ProviderError } from '@nachos/plugin-sdk';

/**
 * Reads `GET /api/tags` (the models pulled on the server) into model infos.
 *
 * Ids drop the implicit `:latest` tag, so that `llama3.2:latest` lines up with the catalogue's
 * `llama3.2` (and its context length); the full name stays as an alias. Capabilities are read only
 * when the server lists them (newer servers do): an unknown capability stays unknown rather than
 * false. Family and parameter size have no place in `ModelInfo` and are not carried.
 *
 * @see https://github.com/ollama/ollama/blob/main/docs/api.md#list-local-models
 */
export function convertOllamaTagsResponse(response: unknown, providerId: string): ModelInfo[] {
  const models = isRecord(response) ? response['models'] : undefined;
  if (!Array.isArray(models)) {
    throw new ProviderError({ kind: 'internal', message: 'upstream model list has no models array', providerId });
  }
  return (models as unknown[]).flatMap((entry): ModelInfo[] => {
    if (!isRecord(entry)) {
      return [];
    }
    const name = nonEmptyString(entry['model']) ?? nonEmptyString(entry['name']);
    if (name === undefined) {
      return [];
    }
    const id = name.replace(/:latest$/, '');
    const model: ModelInfo = { id };
    if (id !== name) {
      model.aliases = [name];
    }
    const modifiedAt = typeof entry['modified_at'] === 'string' ? Date.parse(entry['modified_at']) : Number.NaN;
    if (Number.isFinite(modifiedAt)) {
      model.created = Math.floor(modifiedAt / 1000);
    }
    const capabilities = readCapabilities(entry['capabilities']);
    if (capabilities !== undefined) {
      model.capabilities = capabilities;
    }
    return [model];
  });
}

/** Ollama's capability names: completion, tools, insert, vision, embedding, thinking. */
function readCapabilities(value: unknown): ModelCapabilities | undefined {
  if (!Array.isArray(value)) {
    return undefined;
  }
  const listed = new Set((value as unknown[]).filter((item): item is string => typeof item === 'string'));
  return {
    tools: listed.has('tools'),
    vision: listed.has('vision'),
    reasoning: listed.has('thinking'),
    embeddings: listed.has('embedding'),
  };
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}
