import { ConfigError, type Logger } from '@nachos/common';
import type { ModelInfo, ProviderPlugin } from '@nachos/plugin-sdk';
import convict from 'convict';
import type { Credential } from '../routing/credential.js';
import type { ActiveEndpoint } from './active-endpoint.js';
import { createPluginLogger } from './create-plugin-logger.js';
import type { EndpointDefinition } from './endpoint-definition.js';
import { defaultUpstreamConnections, type UpstreamConnections } from './upstream-connections.js';

/**
 * Validates an endpoint's plugin options against the plugin's schema (strictly, errors naming
 * `endpoints.<id>.options.<key>`), creates its provider and works out the models it serves.
 */
export async function createActiveEndpoint(
  definition: EndpointDefinition,
  plugin: ProviderPlugin,
  credentials: Credential[],
  logger: Logger,
  connections: UpstreamConnections = defaultUpstreamConnections(),
): Promise<ActiveEndpoint> {
  let options: Record<string, unknown>;
  try {
    const schema = convict(plugin.configSchema as convict.Schema<Record<string, unknown>>, { env: {}, args: [] });
    schema.load(definition.options);
    schema.validate({ allowed: 'strict' });
    options = Object.freeze(schema.getProperties());
  } catch (error) {
    throw new ConfigError(`endpoints.${definition.id}.options: ${(error as Error).message.split('\n').join('; ')}`);
  }
  const provider = await plugin.createProvider({
    endpoint: {
      id: definition.id,
      baseUrl: definition.baseUrl,
      ...(definition.apiKey ? { apiKey: definition.apiKey } : {}),
      headers: Object.freeze({ ...definition.headers }),
    },
    options,
    logger: createPluginLogger(logger, plugin.id, definition.id),
    fetch: connections.fetch,
    dispatcher: connections.dispatcher,
  });
  const patterns = definition.models?.filter(isModelPattern) ?? [];
  const models = withAliases(explicitModels(definition, plugin) ?? [...plugin.catalogue], definition.aliases);
  return { definition, plugin, provider, credentials, models, dispatcher: connections.dispatcher, ...(patterns.length > 0 ? { modelPatterns: patterns } : {}) };
}

/** A model list entry with `*` is a pattern of names served, not a model id. */
export function isModelPattern(entry: string): boolean {
  return entry.includes('*');
}

/** An explicit model list wins; catalogue entries with the same id lend it their metadata. */
function explicitModels(definition: EndpointDefinition, plugin: ProviderPlugin): ModelInfo[] | undefined {
  if (!definition.models) return undefined;
  return definition.models
    .filter((id) => !isModelPattern(id))
    .map((id) => plugin.catalogue.find((entry) => entry.id === id || entry.aliases?.includes(id)) ?? { id });
}

/** The endpoint's own names for its models join the aliases those models already have. */
function withAliases(models: ModelInfo[], aliases: Readonly<Record<string, string>> | undefined): ModelInfo[] {
  if (!aliases) return models;
  const result = [...models];
  for (const [alias, id] of Object.entries(aliases)) {
    const at = result.findIndex((entry) => entry.id === id);
    const entry = at >= 0 ? (result[at] as ModelInfo) : { id };
    const next = { ...entry, aliases: [...(entry.aliases ?? []), alias] };
    if (at >= 0) result[at] = next;
    else result.push(next);
  }
  return result;
}

/**
 * Merges what an endpoint without an explicit list reports (`listModels`) into its catalogue. Best
 * effort: an upstream that cannot list leaves the catalogue as it is.
 */
export async function refreshListedModels(endpoint: ActiveEndpoint, logger: Logger, timeoutMs: number): Promise<void> {
  const explicit = endpoint.definition.models?.some((entry) => !isModelPattern(entry));
  if (explicit || !endpoint.provider.listModels) return;
  try {
    const listed = await endpoint.provider.listModels({ signal: AbortSignal.timeout(timeoutMs) });
    const known = new Map(endpoint.plugin.catalogue.map((entry) => [entry.id, entry]));
    for (const entry of listed) {
      const catalogued = known.get(entry.id);
      // What the listing says of a capability overrides the catalogue; what it does not say, the catalogue keeps.
      const capabilities = catalogued?.capabilities || entry.capabilities ? { ...catalogued?.capabilities, ...entry.capabilities } : undefined;
      known.set(entry.id, { ...catalogued, ...entry, aliases: catalogued?.aliases ?? entry.aliases, ...(capabilities ? { capabilities } : {}) });
    }
    endpoint.models = [...known.values()];
  } catch (error) {
    logger.warn('model listing failed; serving the catalogue', { endpoint: endpoint.definition.id, error: (error as Error).message });
  }
}

export type { ModelInfo };
