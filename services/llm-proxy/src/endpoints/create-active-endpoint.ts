import { ConfigError, type Logger } from '@nachos/common';
import type { ModelInfo, ProviderPlugin } from '@nachos/plugin-sdk';
import convict from 'convict';
import type { Credential } from '../routing/credential.js';
import type { ActiveEndpoint } from './active-endpoint.js';
import type { EndpointDefinition } from './endpoint-definition.js';

/**
 * Validates an endpoint's plugin options against the plugin's schema (strictly, errors naming
 * `endpoints.<id>.options.<key>`), creates its provider and works out the models it serves.
 */
export async function createActiveEndpoint(
  definition: EndpointDefinition,
  plugin: ProviderPlugin,
  credentials: Credential[],
  logger: Logger,
  fetch: typeof globalThis.fetch = globalThis.fetch,
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
    logger: logger.child({ plugin: plugin.id, endpoint: definition.id }),
    fetch,
  });
  return { definition, plugin, provider, credentials, models: explicitModels(definition, plugin) ?? [...plugin.catalogue] };
}

/** An explicit model list wins; catalogue entries with the same id lend it their metadata. */
function explicitModels(definition: EndpointDefinition, plugin: ProviderPlugin): ModelInfo[] | undefined {
  return definition.models?.map(
    (id) => plugin.catalogue.find((entry) => entry.id === id || entry.aliases?.includes(id)) ?? { id },
  );
}

/**
 * Merges what an endpoint without an explicit list reports (`listModels`) into its catalogue. Best
 * effort: an upstream that cannot list leaves the catalogue as it is.
 */
export async function refreshListedModels(endpoint: ActiveEndpoint, logger: Logger, timeoutMs: number): Promise<void> {
  if (endpoint.definition.models || !endpoint.provider.listModels) return;
  try {
    const listed = await endpoint.provider.listModels({ signal: AbortSignal.timeout(timeoutMs) });
    const known = new Map(endpoint.plugin.catalogue.map((entry) => [entry.id, entry]));
    for (const entry of listed) known.set(entry.id, { ...known.get(entry.id), ...entry, aliases: known.get(entry.id)?.aliases ?? entry.aliases });
    endpoint.models = [...known.values()];
  } catch (error) {
    logger.warn('model listing failed; serving the catalogue', { endpoint: endpoint.definition.id, error: (error as Error).message });
  }
}

export type { ModelInfo };
