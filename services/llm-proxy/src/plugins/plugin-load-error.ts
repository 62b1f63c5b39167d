/** Why one plugin folder could not be loaded. Fatal when the configuration uses the plugin. */
export class PluginLoadError extends Error {
  constructor(
    /** The folder name under plugins/ (the plugin id, when the plugin is well formed). */
    readonly folder: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`plugin "${folder}" failed to load: ${reason}`, options);
    this.name = 'PluginLoadError';
  }
}
