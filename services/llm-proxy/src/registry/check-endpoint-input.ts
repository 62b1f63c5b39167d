import type { RegistryEndpointInput } from '@nachos/proto';
import { ProviderError, type ProviderPlugin } from '@nachos/plugin-sdk';

const ID = /^[a-z0-9][a-z0-9._-]{0,62}$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const MAX_MODELS = 1_000;
export const DEFAULT_RUNTIME_PROVIDER = 'openai-compatible';

/**
 * The shape checks on an endpoint the admin API adds, before anything is resolved or built: an id usable
 * in model names and pass-through paths, a loaded plugin, sane models, weight, limits and headers. Each failure is
 * an `invalid_request` that names the field.
 */
export function checkEndpointInput(input: RegistryEndpointInput, plugins: ReadonlyMap<string, ProviderPlugin>): void {
  if (!ID.test(input.id)) {
    throw invalid('id must be 1–63 lowercase letters, digits, ".", "_" or "-", starting with a letter or digit');
  }
  const provider = input.provider ?? DEFAULT_RUNTIME_PROVIDER;
  if (!plugins.has(provider)) throw invalid(`provider "${provider}" is not a loaded plugin (loaded: ${[...plugins.keys()].join(', ')})`);
  if (input.models !== undefined) {
    if (input.models.length > MAX_MODELS) throw invalid(`models may list at most ${MAX_MODELS} models`);
    if (input.models.some((model) => model.trim() === '' || model.length > 256)) throw invalid('models must be non-empty names');
  }
  if (input.weight !== undefined && !(Number.isFinite(input.weight) && input.weight > 0)) throw invalid('weight must be a positive number');
  for (const [name, count] of Object.entries(input.rateLimit ?? {})) {
    if (!Number.isSafeInteger(count) || count < 1) throw invalid(`rate_limit.${name} must be a whole number of at least 1`);
  }
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    if (!HEADER_NAME.test(name)) throw invalid(`headers: "${name}" is not a valid header name`);
    if (/[\r\n\0]/.test(value)) throw invalid(`headers.${name} must not contain line breaks`);
  }
}

function invalid(message: string): ProviderError {
  return new ProviderError({ kind: 'invalid_request', message: `endpoint refused: ${message}` });
}
