import type { NachosConfig } from '@nachos/common';

/** What the console shows from the configuration both services read: its routing rules. */
export interface ConsoleFacts {
  defaultModel: string;
  fallbackOrder: readonly string[];
  /** `[llm.models.<name>]`: renames and per-model fallbacks. */
  models: Readonly<Record<string, { rename?: string; fallbacks?: readonly string[] }>>;
}

export function readConsoleFacts(config: NachosConfig): ConsoleFacts {
  return {
    defaultModel: config.llm.model,
    fallbackOrder: config.llm.fallback_order,
    models: config.llm.models,
  };
}
