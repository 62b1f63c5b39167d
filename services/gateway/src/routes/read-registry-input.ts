import { Secret, type JsonObject } from '@nachos/plugin-sdk';
import type { RegistryEndpointInput } from '@nachos/proto';
import { invalidRequest } from '../errors/gateway-error.js';

const FIELDS = ['id', 'name', 'provider', 'base_url', 'api_key', 'models', 'weight', 'headers', 'options', 'rate_limit'] as const;

/**
 * Reads `POST /admin/v1/registry`'s body, in the config file's names: `{id, provider, base_url, api_key,
 * models, weight, headers, options, rate_limit: {rpm, tpm}}`, with `name` taken for `id` as LLMProxy's registry API writes it. Only the shape is checked here; llm-proxy decides whether the
 * endpoint is acceptable (plugin, URL policy, options). An unknown field is refused, so a typo never
 * silently drops a setting. `models` may be a list or a comma-separated string, as in the environment.
 */
export function readRegistryInput(body: unknown): RegistryEndpointInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidRequest('The body must be a JSON object describing one endpoint.');
  const record = body as Record<string, unknown>;
  for (const name of Object.keys(record)) {
    if (!(FIELDS as readonly string[]).includes(name)) throw invalidRequest(`Unknown field "${name}" (known: ${FIELDS.join(', ')}).`, name);
  }
  if (record.id !== undefined && record.name !== undefined && record.id !== record.name) {
    throw invalidRequest('Give the endpoint id as "id" or "name", not two different values.', 'name');
  }
  const id = text(record, record.id === undefined && record.name !== undefined ? 'name' : 'id', true) as string;
  const baseUrl = text(record, 'base_url', true) as string;
  const provider = text(record, 'provider', false);
  const apiKey = text(record, 'api_key', false);
  const input: RegistryEndpointInput = { id, baseUrl };
  if (provider) input.provider = provider;
  if (apiKey) input.apiKey = new Secret(apiKey);
  const models = record.models;
  if (models !== undefined) {
    const list = typeof models === 'string' ? models.split(',').map((model) => model.trim()).filter(Boolean) : models;
    if (!Array.isArray(list) || list.some((model) => typeof model !== 'string')) throw invalidRequest('models must be a list of model names.', 'models');
    if (list.length > 0) input.models = list as string[];
  }
  if (record.weight !== undefined) {
    if (typeof record.weight !== 'number') throw invalidRequest('weight must be a number.', 'weight');
    input.weight = record.weight;
  }
  if (record.headers !== undefined) {
    const headers = record.headers;
    if (!isObject(headers) || Object.values(headers).some((value) => typeof value !== 'string')) throw invalidRequest('headers must map header names to strings.', 'headers');
    input.headers = headers as Record<string, string>;
  }
  if (record.rate_limit !== undefined) input.rateLimit = readRateLimit(record.rate_limit);
  if (record.options !== undefined) {
    if (!isObject(record.options)) throw invalidRequest('options must be an object.', 'options');
    input.options = record.options as JsonObject;
  }
  return input;
}

/** `{rpm, tpm}`, each a whole number of at least 1 when given (as in the config file). */
function readRateLimit(value: unknown): { rpm?: number; tpm?: number } {
  if (!isObject(value)) throw invalidRequest('rate_limit must be an object: {"rpm": …, "tpm": …}.', 'rate_limit');
  const limit: { rpm?: number; tpm?: number } = {};
  for (const [name, count] of Object.entries(value)) {
    if (name !== 'rpm' && name !== 'tpm') throw invalidRequest(`Unknown field "rate_limit.${name}" (known: rpm, tpm).`, `rate_limit.${name}`);
    if (!Number.isSafeInteger(count) || (count as number) < 1 || (count as number) > 0xffff_ffff) {
      throw invalidRequest(`rate_limit.${name} must be a whole number from 1 to ${0xffff_ffff}.`, `rate_limit.${name}`);
    }
    limit[name] = count as number;
  }
  return limit;
}

function text(record: Record<string, unknown>, name: string, required: boolean): string | undefined {
  const value = record[name];
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || (required && value.trim() === '')) throw invalidRequest(`${name} must be a ${required ? 'non-empty ' : ''}string.`, name);
  return value.trim();
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
