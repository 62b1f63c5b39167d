import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isRecord } from './is-record.js';
import type { ModelCapabilities, ModelInfo } from './model-info.js';

/**
 * Reads a plugin's model catalogue from a JSON data file (an array of `ModelInfo`), so that model
 * facts live in data, not code. Keep the file in `src/`, add a glob for its JSON files to the
 * tsconfig `include` (with `resolveJsonModule`) so that the build copies it into `dist/`, and pass
 * `new URL('./models.json', import.meta.url)`: it then resolves from both `src/` (tests) and `dist/`.
 *
 * The file is checked field by field; a malformed entry fails loudly with the file and entry named,
 * because a wrong context length or capability would otherwise surface much later as a bad route.
 */
export function readModelCatalogue(file: URL): ModelInfo[] {
  const path = fileURLToPath(file);
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  if (!Array.isArray(parsed)) {
    throw new Error(`model catalogue ${path} must be a JSON array`);
  }
  return (parsed as unknown[]).map((entry, position) => readEntry(entry, `${path}[${position}]`));
}

function readEntry(entry: unknown, where: string): ModelInfo {
  if (!isRecord(entry) || typeof entry['id'] !== 'string' || entry['id'] === '') {
    throw new Error(`model catalogue entry ${where} needs a non-empty string id`);
  }
  const model: ModelInfo = { id: entry['id'] };
  const { aliases, contextLength, maxOutputTokens, capabilities, created, ownedBy } = entry;
  if (aliases !== undefined) {
    if (!Array.isArray(aliases) || !aliases.every((alias) => typeof alias === 'string' && alias !== '')) {
      throw new Error(`model catalogue entry ${where}: aliases must be non-empty strings`);
    }
    model.aliases = aliases as string[];
  }
  for (const [field, value] of [['contextLength', contextLength], ['maxOutputTokens', maxOutputTokens], ['created', created]] as const) {
    if (value !== undefined) {
      if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
        throw new Error(`model catalogue entry ${where}: ${field} must be a positive integer`);
      }
      model[field] = value;
    }
  }
  if (ownedBy !== undefined) {
    if (typeof ownedBy !== 'string') {
      throw new Error(`model catalogue entry ${where}: ownedBy must be a string`);
    }
    model.ownedBy = ownedBy;
  }
  if (capabilities !== undefined) {
    model.capabilities = readCapabilities(capabilities, where);
  }
  return model;
}

function readCapabilities(value: unknown, where: string): ModelCapabilities {
  const known = ['tools', 'vision', 'reasoning', 'embeddings'] as const;
  if (!isRecord(value) || Object.keys(value).some((key) => !(known as readonly string[]).includes(key))) {
    throw new Error(`model catalogue entry ${where}: capabilities may only hold ${known.join(', ')}`);
  }
  const capabilities: ModelCapabilities = {};
  for (const key of known) {
    const flag = value[key];
    if (flag !== undefined) {
      if (typeof flag !== 'boolean') {
        throw new Error(`model catalogue entry ${where}: capabilities.${key} must be true or false`);
      }
      capabilities[key] = flag;
    }
  }
  return capabilities;
}
