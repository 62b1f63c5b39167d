import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isRecord, readModelCatalogue } from '@nachos/plugin-sdk';
import type { HostPreset, HostQuirks } from './host-preset.js';

/**
 * Reads the host presets from a JSON data file (an array), each preset's catalogue from the file its
 * `catalogue` names relative to it. Checked field by field: a wrong base URL or quirk would otherwise
 * surface much later as a failed request, so a malformed entry fails loudly, naming the preset.
 */
export function readHostPresets(file: URL): HostPreset[] {
  const path = fileURLToPath(file);
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  if (!Array.isArray(parsed)) {
    throw new Error(`host presets ${path} must be a JSON array`);
  }
  const presets = (parsed as unknown[]).map((entry, position) => readPreset(entry, file, `${path}[${position}]`));
  const ids = presets.map((preset) => preset.id);
  const repeated = ids.find((id, position) => ids.indexOf(id) !== position);
  if (repeated !== undefined) {
    throw new Error(`host presets ${path} name "${repeated}" twice`);
  }
  return presets;
}

const PRESET_FIELDS = ['id', 'displayName', 'baseUrl', 'apiKeyEnv', 'requiresApiKey', 'detectByHost', 'catalogue', 'modelFamilies', 'quirks'];
const QUIRK_FIELDS: ReadonlyArray<keyof HostQuirks> = [
  'streamOptions',
  'tools',
  'messageNames',
  'toolCallIdFormat',
  'alternatingRoles',
  'renameFields',
  'dropFields',
  'embeddings',
  'listModels',
];

function readPreset(entry: unknown, file: URL, where: string): HostPreset {
  const fail = (problem: string): never => {
    throw new Error(`host preset ${where}: ${problem}`);
  };
  if (!isRecord(entry)) {
    return fail('must be an object');
  }
  const unknown = Object.keys(entry).find((key) => !PRESET_FIELDS.includes(key));
  if (unknown !== undefined) {
    fail(`unknown field "${unknown}"`);
  }
  const { id, displayName, baseUrl, apiKeyEnv, requiresApiKey, detectByHost, catalogue, modelFamilies, quirks } = entry;
  if (typeof id !== 'string' || !/^[a-z][a-z0-9-]*$/.test(id)) {
    fail('id must be kebab-case');
  }
  if (typeof displayName !== 'string' || displayName === '') {
    fail('displayName must be a non-empty string');
  }
  if (typeof baseUrl !== 'string' || !/^https?:\/\/[^/]+/.test(baseUrl)) {
    fail('baseUrl must be an http(s) URL');
  }
  if (apiKeyEnv !== undefined && (typeof apiKeyEnv !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(apiKeyEnv))) {
    fail('apiKeyEnv must be an environment variable name');
  }
  if (typeof requiresApiKey !== 'boolean' || typeof detectByHost !== 'boolean') {
    fail('requiresApiKey and detectByHost must be true or false');
  }
  if (catalogue !== undefined && typeof catalogue !== 'string') {
    fail('catalogue must name a JSON file');
  }
  if (modelFamilies !== undefined && (!Array.isArray(modelFamilies) || !modelFamilies.every((pattern) => typeof pattern === 'string' && pattern !== ''))) {
    fail('modelFamilies must be a list of model patterns');
  }
  const preset: HostPreset = {
    id: id as string,
    displayName: displayName as string,
    baseUrl: baseUrl as string,
    requiresApiKey: requiresApiKey as boolean,
    detectByHost: detectByHost as boolean,
    catalogue: catalogue === undefined ? [] : readModelCatalogue(new URL(catalogue as string, file)),
    quirks: readQuirks(quirks, fail),
  };
  if (apiKeyEnv !== undefined) {
    preset.apiKeyEnv = apiKeyEnv as string;
  }
  if (modelFamilies !== undefined) {
    preset.modelFamilies = modelFamilies as string[];
  }
  return preset;
}

function readQuirks(value: unknown, fail: (problem: string) => never): HostQuirks {
  if (!isRecord(value)) {
    return fail('quirks must be an object');
  }
  const unknown = Object.keys(value).find((key) => !(QUIRK_FIELDS as readonly string[]).includes(key));
  if (unknown !== undefined) {
    fail(`unknown quirk "${unknown}"`);
  }
  for (const flag of ['streamOptions', 'tools', 'messageNames', 'alternatingRoles', 'embeddings', 'listModels'] as const) {
    if (value[flag] !== undefined && typeof value[flag] !== 'boolean') {
      fail(`quirk ${flag} must be true or false`);
    }
  }
  if (value['toolCallIdFormat'] !== undefined && value['toolCallIdFormat'] !== 'nine-alphanumeric') {
    fail('quirk toolCallIdFormat must be "nine-alphanumeric"');
  }
  const renames = value['renameFields'];
  if (renames !== undefined && (!isRecord(renames) || !Object.values(renames).every((name) => typeof name === 'string' && name !== ''))) {
    fail('quirk renameFields must map field names to field names');
  }
  const drops = value['dropFields'];
  if (drops !== undefined && (!Array.isArray(drops) || !drops.every((name) => typeof name === 'string' && name !== ''))) {
    fail('quirk dropFields must be a list of field names');
  }
  return value as HostQuirks;
}
