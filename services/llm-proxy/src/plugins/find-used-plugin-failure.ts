import type { PluginLoadError } from './plugin-load-error.js';

/**
 * The load failure behind a configuration error that names a provider no plugin serves, if any: the
 * plugin the configuration uses is broken, and its own reason says more than "no such plugin". A
 * failure answers to its folder name and to the id its package.json declares, so a plugin copied into
 * a folder named unlike its id (`plugins/echo-provider` declaring `echo`) is explained too.
 */
export function findUsedPluginFailure(configError: Error, failures: readonly PluginLoadError[]): PluginLoadError | undefined {
  return failures.find((failure) =>
    [failure.folder, failure.declaredId].some((name) => name !== undefined && configError.message.includes(`"${name}"`)),
  );
}
