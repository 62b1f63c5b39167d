import type { RegistryEndpointView } from '@nachos/proto';
import { redactSecrets } from '@nachos/plugin-sdk';
import type { ActiveEndpoint } from '../endpoints/active-endpoint.js';
import { connectionsTo } from '../endpoints/upstream-connections.js';

/**
 * An endpoint as the admin API lists it. The key is never part of it (only whether there is one), header
 * values are left out (they may be credentials), and a key written into the URL (`?key=`) is redacted.
 * Its limits are its own whatever its source; its connections are this replica's.
 */
export function toRegistryView(endpoint: ActiveEndpoint): RegistryEndpointView {
  const { definition } = endpoint;
  return {
    id: definition.id,
    provider: definition.provider,
    baseUrl: redactSecrets(definition.baseUrl),
    models: endpoint.models.map((model) => model.id),
    weight: definition.weight,
    source: definition.source,
    hasKey: endpoint.credentials.some((credential) => credential.apiKey !== undefined),
    headerNames: Object.keys(definition.headers),
    explicitModels: definition.models !== undefined,
    rateLimit: { ...definition.rateLimit },
    connections: connectionsTo(endpoint.dispatcher, definition.baseUrl),
  };
}
