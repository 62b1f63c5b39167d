import type { Logger } from '@nachos/common';
import type { PluginLogger } from '@nachos/plugin-sdk';

type PluginLogLevel = keyof PluginLogger;

/**
 * The logger an endpoint's plugin gets: its lines name the plugin and the endpoint, and a line below the
 * level costs a level check only. winston builds an entry and sends it through its stream before any
 * level is compared, so a plugin's debug line on every call (`chat request upstream`) would otherwise
 * cost about as much as a line written.
 */
export function createPluginLogger(logger: Logger, plugin: string, endpoint: string): PluginLogger {
  const child = logger.child({ plugin, endpoint });
  const at =
    (level: PluginLogLevel) =>
    (...entry: [message: string, meta?: Record<string, unknown>]): void => {
      if (child.isLevelEnabled(level)) child[level](...entry);
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
