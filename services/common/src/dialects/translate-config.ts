import { ConfigError } from '../config-error.js';
import type { ConfigDialect, ConfigTable } from './config-dialect.js';
import { liteLlmDialect } from './litellm-dialect.js';
import { llmProxyDialect } from './llmproxy-dialect.js';
import { nachosDialect } from './nachos-dialect.js';
import { nexusDialect } from './nexus-dialect.js';

/** Tried in order; nachos' own format last, since it recognises anything. */
const DIALECTS: readonly ConfigDialect[] = [liteLlmDialect, llmProxyDialect, nexusDialect, nachosDialect];

export interface TranslatedConfig {
  /** The format the file was read as (`nachos`, `LiteLLM config.yaml`, …). */
  dialect: string;
  content: ConfigTable;
  warnings: string[];
}

/**
 * A parsed configuration file in → canonical settings out, whatever the format it was written in,
 * recognised by its shape. A setting that cannot be translated stops here, named by the dialect's own key.
 */
export function translateConfig(content: ConfigTable, where: string): TranslatedConfig {
  const dialect = DIALECTS.find((candidate) => candidate.recognises(content)) as ConfigDialect;
  try {
    const translation = dialect.translate(content);
    return { dialect: dialect.name, content: translation.content, warnings: translation.warnings };
  } catch (error) {
    throw new ConfigError(`${where}: ${(error as Error).message}`);
  }
}
