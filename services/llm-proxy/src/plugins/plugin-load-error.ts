/** Why one plugin folder could not be loaded. Fatal when the configuration uses the plugin. */
export class PluginLoadError extends Error {
  /** The id the folder's package.json declares, when discovery got that far; it may differ from the folder name. */
  readonly declaredId: string | undefined;

  constructor(
    /** The folder name under plugins/ (the plugin id, when the plugin is well formed). */
    readonly folder: string,
    reason: string,
    options?: { cause?: unknown; declaredId?: string },
  ) {
    super(`plugin "${folder}" failed to load: ${reason}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PluginLoadError';
    this.declaredId = options?.declaredId;
  }
}
