import { ConfigError, hasSecretEnv, readSecretEnv, type Environment, type NachosConfig } from '@nachos/common';
import { Secret, type ProviderPlugin } from '@nachos/plugin-sdk';
import type { EndpointDefinition } from './endpoint-definition.js';
import { declaredCapabilities } from './listed-capabilities.js';
import { readEnvEndpoints } from './read-env-endpoints.js';

export interface CollectedEndpoints {
  endpoints: EndpointDefinition[];
  /** True when nothing was configured and the mock provider stands in. */
  usingMockDefault: boolean;
  /** What start-up should warn about: a configured key variable that is not set, naming it. */
  warnings: string[];
}

/**
 * Gathers endpoints from every static source, lowest precedence first: the config file's `endpoints`,
 * `[llm] provider`, provider key variables (`OPENAI_API_KEY`…, `OLLAMA_HOST`), then
 * `LLM_PROXY_ENDPOINT_<NAME>_*` (which replaces a same-named endpoint). When none is found, the mock
 * plugin serves. A provider the configuration names whose key is missing is an error naming the variable;
 * an `api_key_env` naming an unset variable where a key is optional is a warning naming it, unless the
 * endpoint says `auth_type = "none"` (no key, on purpose).
 */
export function collectEndpoints(
  config: NachosConfig,
  env: Environment,
  plugins: ReadonlyMap<string, ProviderPlugin>,
): CollectedEndpoints {
  const byId = new Map<string, EndpointDefinition>();
  const warnings: string[] = [];
  const pluginFor = (provider: string, key: string): ProviderPlugin => {
    const plugin = plugins.get(provider);
    if (!plugin) {
      throw new ConfigError(`${key} names provider "${provider}", but no such plugin is loaded (loaded: ${[...plugins.keys()].join(', ')})`);
    }
    return plugin;
  };

  for (const [id, entry] of Object.entries(config.endpoints)) {
    const key = `endpoints.${id}`;
    const provider = entry.provider ?? 'openai-compatible';
    const plugin = pluginFor(provider, `${key}.provider`);
    byId.set(id, {
      id,
      provider,
      baseUrl: baseUrlFor(plugin, entry.base_url ?? config.providers[provider]?.base_url, env, `${key}.base_url`),
      ...(entry.auth_type === 'none'
        ? {}
        : entry.api_key !== undefined
          ? { apiKey: new Secret(entry.api_key) }
          : keyFor(plugin, entry.api_key_env ?? config.providers[provider]?.api_key_env, env, key, warnings, hasProfiles(config, provider, id))),
      ...(entry.models ? { models: [...entry.models] } : {}),
      ...(entry.aliases ? { aliases: { ...entry.aliases } } : {}),
      ...(entry.forward_token ? { forwardToken: true } : {}),
      ...(entry.capabilities ? { capabilities: declaredCapabilities(entry.capabilities) } : {}),
      weight: entry.weight ?? 1,
      ...(entry.rate_limit ? { rateLimit: { ...entry.rate_limit } } : {}),
      headers: { ...config.providers[provider]?.headers, ...entry.headers },
      options: { ...config.providers[provider]?.options, ...entry.options },
      source: 'config',
    });
  }

  const served = () => new Set([...byId.values()].map((endpoint) => endpoint.provider));
  // `[llm] provider` may name a configured endpoint (seed 000's "custom") as well as a plugin.
  if (config.llm.provider && !served().has(config.llm.provider) && !byId.has(config.llm.provider)) {
    const provider = config.llm.provider;
    const plugin = pluginFor(provider, '[llm] provider');
    byId.set(provider, providerEndpoint(plugin, config, env, warnings, 'config', config.llm.base_url || undefined, '[llm] provider'));
  }
  // A provider whose keys are [[llm.profiles]] is served even when its usual key variable is unset.
  for (const profile of config.llm.profiles) {
    if (served().has(profile.provider) || byId.has(profile.provider)) continue;
    const plugin = pluginFor(profile.provider, `[[llm.profiles]] "${profile.name}" provider`);
    byId.set(plugin.id, providerEndpoint(plugin, config, env, warnings, 'config', undefined, `[[llm.profiles]] "${profile.name}"`));
  }

  for (const plugin of plugins.values()) {
    if (served().has(plugin.id) || byId.has(plugin.id)) continue;
    const keyed = keyVariables(plugin).some((name) => hasSecretEnv(env, name));
    const located = !plugin.requiresApiKey && Boolean(env[baseUrlVariable(plugin)]);
    if (keyed || located) byId.set(plugin.id, providerEndpoint(plugin, config, env, warnings, 'env', undefined, plugin.id));
  }

  for (const endpoint of readEnvEndpoints(env)) {
    pluginFor(endpoint.provider, `LLM_PROXY_ENDPOINT_${endpoint.id.toUpperCase().replace(/-/g, '_')}_PROVIDER`);
    byId.set(endpoint.id, endpoint);
  }

  for (const endpoint of byId.values()) {
    if (config.providers[endpoint.provider]?.forward_token) endpoint.forwardToken = true;
  }
  if (byId.size > 0) return { endpoints: [...byId.values()], usingMockDefault: false, warnings };
  const mock = pluginFor('mock', 'the default (no provider configured)');
  return {
    endpoints: [{ ...providerEndpoint(mock, config, env, warnings, 'default', undefined, 'mock'), source: 'default' }],
    usingMockDefault: true,
    warnings,
  };
}

function providerEndpoint(
  plugin: ProviderPlugin,
  config: NachosConfig,
  env: Environment,
  warnings: string[],
  source: EndpointDefinition['source'],
  baseUrl: string | undefined,
  key: string,
): EndpointDefinition {
  const settings = config.providers[plugin.id];
  return {
    id: plugin.id,
    provider: plugin.id,
    baseUrl: baseUrlFor(plugin, baseUrl ?? settings?.base_url, env, key),
    ...keyFor(plugin, settings?.api_key_env, env, key, warnings, hasProfiles(config, plugin.id, plugin.id)),
    weight: 1,
    headers: { ...settings?.headers },
    options: { ...settings?.options },
    source,
  };
}

function hasProfiles(config: NachosConfig, provider: string, endpointId: string): boolean {
  return config.llm.profiles.some((profile) => profile.provider === provider || profile.provider === endpointId);
}

function keyVariables(plugin: ProviderPlugin): readonly string[] {
  if (plugin.apiKeyEnv === undefined) return [];
  return typeof plugin.apiKeyEnv === 'string' ? [plugin.apiKeyEnv] : plugin.apiKeyEnv;
}

function baseUrlVariable(plugin: ProviderPlugin): string {
  return plugin.baseUrlEnv ?? `${plugin.id.toUpperCase().replace(/-/g, '_')}_BASE_URL`;
}

function baseUrlFor(plugin: ProviderPlugin, configured: string | undefined, env: Environment, key: string): string {
  const fromEnv = env[baseUrlVariable(plugin)]?.trim();
  const baseUrl = configured ?? (fromEnv ? withScheme(fromEnv) : undefined) ?? plugin.defaultBaseUrl;
  if (!baseUrl) throw new ConfigError(`${key}: a base_url is required, provider "${plugin.id}" has no default`);
  return baseUrl;
}

/** `OLLAMA_HOST` is often written as `host:port`, as the Ollama CLI accepts it. */
function withScheme(value: string): string {
  return /^https?:\/\//i.test(value) ? value : `http://${value}`;
}

function keyFor(
  plugin: ProviderPlugin,
  configuredVariable: string | undefined,
  env: Environment,
  key: string,
  warnings: string[],
  profilesGiveKeys = false,
): { apiKey?: Secret } {
  const variables = configuredVariable ? [configuredVariable] : keyVariables(plugin);
  for (const variable of variables) {
    const secret = readSecretEnv(env, variable);
    if (secret) return { apiKey: secret };
  }
  if (profilesGiveKeys) return {};
  if (plugin.requiresApiKey && variables.length > 0) {
    const named = variables.map((variable) => `${variable} (or ${variable}_FILE)`).join(' or ');
    throw new ConfigError(`${key} uses provider "${plugin.id}", but ${named} is not set`);
  }
  if (plugin.requiresApiKey) throw new ConfigError(`${key} uses provider "${plugin.id}", which needs an api_key_env`);
  if (configuredVariable) {
    warnings.push(
      `${key}: api_key_env names ${configuredVariable}, which is not set (nor ${configuredVariable}_FILE): its requests go without a key; say auth_type = "none" if that is meant`,
    );
  }
  return {};
}
