import type { EndpointCapability } from '@nachos/common';
import type { ModelCapabilities, ModelInfo } from '@nachos/plugin-sdk';
import type { ActiveEndpoint } from './active-endpoint.js';

/** An endpoint's declared capability names (`["tools", "vision"]`) as the flags listings merge. */
export function declaredCapabilities(names: readonly EndpointCapability[]): ModelCapabilities {
  return Object.fromEntries(names.map((name) => [name, true]));
}

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
