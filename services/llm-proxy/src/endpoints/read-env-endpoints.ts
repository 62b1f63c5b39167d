import { ConfigError, ENDPOINT_CAPABILITIES, readSecretEnv, type EndpointCapability, type Environment } from '@nachos/common';
import type { EndpointDefinition } from './endpoint-definition.js';
import { declaredCapabilities } from './listed-capabilities.js';

const PREFIX = 'LLM_PROXY_ENDPOINT_';
const FIELDS = ['URL', 'KEY', 'MODELS', 'PROVIDER', 'RPM', 'TPM', 'CAPABILITIES'] as const;
const DEFAULT_PROVIDER = 'openai-compatible';

/**
 * Endpoints declared as `LLM_PROXY_ENDPOINT_<NAME>_{URL,KEY,MODELS,PROVIDER,RPM,TPM,CAPABILITIES}` (the key
 * also as `_KEY_FILE`; `_RPM` and `_TPM` its `rate_limit`; `_CAPABILITIES` a comma list, as `capabilities`). `<NAME>` lowercased, with `_` as `-`, is the endpoint
 * id. Without a provider the endpoint speaks OpenAI-compatible.
 */
export function readEnvEndpoints(env: Environment): EndpointDefinition[] {
  const names = new Set<string>();
  for (const key of Object.keys(env)) {
    if (!key.startsWith(PREFIX)) continue;
    const rest = key.slice(PREFIX.length).replace(/_FILE$/, '');
    const field = FIELDS.find((candidate) => rest.endsWith(`_${candidate}`));
    if (field) names.add(rest.slice(0, -(field.length + 1)));
  }
  return [...names].sort().map((name) => {
    const variable = (field: string) => `${PREFIX}${name}_${field}`;
    const url = env[variable('URL')]?.trim();
    if (!url) throw new ConfigError(`${variable('URL')} is required when other ${PREFIX}${name}_* variables are set`);
    try {
      new URL(url);
    } catch {
      throw new ConfigError(`${variable('URL')} must be an absolute http(s) URL`);
    }
    const apiKey = readSecretEnv(env, variable('KEY'));
    const models = env[variable('MODELS')]
      ?.split(',')
      .map((model) => model.trim())
      .filter(Boolean);
    const rateLimit = { ...perMinute(env, variable('RPM'), 'rpm'), ...perMinute(env, variable('TPM'), 'tpm') };
    const capabilities = capabilityList(env, variable('CAPABILITIES'));
    return {
      id: name.toLowerCase().replace(/_/g, '-'),
      provider: env[variable('PROVIDER')]?.trim() || DEFAULT_PROVIDER,
      baseUrl: url,
      ...(apiKey ? { apiKey } : {}),
      ...(models && models.length > 0 ? { models } : {}),
      weight: 1,
      ...(Object.keys(rateLimit).length > 0 ? { rateLimit } : {}),
      ...(capabilities.length > 0 ? { capabilities: declaredCapabilities(capabilities) } : {}),
      headers: {},
      options: {},
      source: 'env' as const,
    };
  });
}

function perMinute(env: Environment, variable: string, name: 'rpm' | 'tpm'): { rpm?: number; tpm?: number } {
  const value = env[variable]?.trim();
  if (!value) return {};
  if (!/^[1-9][0-9]*$/.test(value) || !Number.isSafeInteger(Number(value))) throw new ConfigError(`${variable} must be a whole number of at least 1`);
  return { [name]: Number(value) };
}

function capabilityList(env: Environment, variable: string): EndpointCapability[] {
  const names = (env[variable] ?? '').split(',').map((name) => name.trim()).filter(Boolean);
  const known: readonly string[] = ENDPOINT_CAPABILITIES;
  const unknown = names.find((name) => !known.includes(name));
  if (unknown !== undefined) throw new ConfigError(`${variable} may list only ${ENDPOINT_CAPABILITIES.join(', ')}, not '${unknown}'`);
  return names as EndpointCapability[];
}
