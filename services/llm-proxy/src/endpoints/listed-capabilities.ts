import type { ModelCapabilities, ModelInfo } from '@nachos/plugin-sdk';
import type { ActiveEndpoint } from './active-endpoint.js';

/**
 * A model's capabilities as listings show them: what the catalogue or the upstream's listing says of it,
 * and, for each capability neither states, what the endpoint declares (`[endpoints.<id>] capabilities`).
 */
export function listedCapabilities(endpoint: ActiveEndpoint, model: ModelInfo | undefined): ModelCapabilities {
  const capabilities: ModelCapabilities = { ...endpoint.definition.capabilities };
  for (const [name, value] of Object.entries(model?.capabilities ?? {}) as Array<[keyof ModelCapabilities, boolean | undefined]>) {
    if (value !== undefined) capabilities[name] = value;
  }
  return capabilities;
}
