import type { NachosConfig } from '@nachos/common';

/** What the console shows from the configuration both services read: routing rules and endpoint limits. */
export interface ConsoleFacts {
  defaultModel: string;
  fallbackOrder: readonly string[];
  /** `[llm.models.<name>]`: renames and per-model fallbacks. */
  models: Readonly<Record<string, { rename?: string; fallbacks?: readonly string[] }>>;
  /** `[endpoints.<id>] rate_limit`, for endpoints from the config file. */
  endpointLimits: Readonly<Record<string, { rpm?: number; tpm?: number }>>;
}

export function readConsoleFacts(config: NachosConfig): ConsoleFacts {
  return {
    defaultModel: config.llm.model,
    fallbackOrder: config.llm.fallback_order,
    models: config.llm.models,
    endpointLimits: Object.fromEntries(
      Object.entries(config.endpoints).flatMap(([id, endpoint]) => (endpoint.rate_limit ? [[id, endpoint.rate_limit]] : [])),
    ),
  };
}
