import type { Logger } from './create-logger.js';
import type { NachosConfig } from './nachos-config.js';

/** Says at start which file was read and as what, and names each setting of it that was not applied. */
export function logConfigSource(config: NachosConfig, logger: Logger): void {
  if (config.source_file === '') return;
  logger.info('configuration read', { file: config.source_file, dialect: config.source_dialect });
  for (const warning of config.config_warnings) logger.warn(`configuration: ${warning}`, { file: config.source_file });
}
