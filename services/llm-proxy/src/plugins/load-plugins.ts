import { isProviderPlugin, PLUGIN_CONTRACT_VERSION, type ProviderPlugin } from '@nachos/plugin-sdk';
import semver from 'semver';
import { discoverPlugins } from './discover-plugins.js';
import type { ImportModule } from './import-plugin.js';
import { PluginLoadError } from './plugin-load-error.js';

const PLUGIN_ID = /^[a-z][a-z0-9-]*$/;

export interface LoadedPlugins {
  plugins: Map<string, ProviderPlugin>;
  /** Plugins that failed; the caller decides whether each is fatal (used by the config) or a warning. */
  failures: PluginLoadError[];
}

/**
 * Discovers and imports every plugin under `pluginsDirectory`, checking the brand, the contract version,
 * the SDK range, the config schema and that the id matches both the manifest and the folder name.
 *
 * An import that has not settled within `startTimeoutMs` is fatal, used or not: it cannot be cancelled
 * and may still do anything, so start-up stops with an error naming the plugin (rather than hanging, or
 * Node exiting silently once nothing else is left to wait for).
 */
export async function loadPlugins(
  pluginsDirectory: string,
  sdkVersion: string,
  importModule: ImportModule,
  startTimeoutMs: number,
): Promise<LoadedPlugins> {
  const { candidates, failures } = discoverPlugins(pluginsDirectory);
  const plugins = new Map<string, ProviderPlugin>();
  for (const candidate of candidates) {
    const fail = (reason: string, cause?: unknown) =>
      failures.push(new PluginLoadError(candidate.folder, reason, { cause, declaredId: candidate.id }));
    if (!PLUGIN_ID.test(candidate.id) || candidate.id !== candidate.folder) {
      fail(`id "${candidate.id}" must match ${String(PLUGIN_ID)} and equal the folder name`);
      continue;
    }
    if (!semver.validRange(candidate.sdkRange) || !semver.satisfies(sdkVersion, candidate.sdkRange)) {
      fail(`needs plugin SDK ${candidate.sdkRange}, this llm-proxy has ${sdkVersion}`);
      continue;
    }
    let module: { default?: unknown; providers?: unknown };
    try {
      module = await withinStartTimeout(importModule(candidate.entry), candidate.folder, candidate.entry, startTimeoutMs);
    } catch (error) {
      if (error instanceof PluginLoadError) throw error;
      fail(`importing ${candidate.entry} threw: ${(error as Error).message}`, error);
      continue;
    }
    const plugin = module.default;
    if (!isProviderPlugin(plugin)) {
      fail('its default export is not made by defineProviderPlugin() from @nachos/plugin-sdk');
      continue;
    }
    if (plugin.contractVersion !== PLUGIN_CONTRACT_VERSION) {
      fail(`speaks plugin contract v${String(plugin.contractVersion)}, this llm-proxy speaks v${PLUGIN_CONTRACT_VERSION}`);
      continue;
    }
    if (plugin.id !== candidate.id) {
      fail(`its code says id "${plugin.id}" but package.json says "${candidate.id}"`);
      continue;
    }
    if (typeof plugin.createProvider !== 'function' || !Array.isArray(plugin.catalogue)) {
      fail('it needs a createProvider function and a catalogue array');
      continue;
    }
    if (!hasConfigSchema(plugin)) {
      fail(MISSING_CONFIG_SCHEMA);
      continue;
    }
    plugins.set(plugin.id, plugin);
    for (const extra of extraProviders(module.providers, candidate.folder, failures)) {
      if (plugins.has(extra.id)) {
        failures.push(new PluginLoadError(candidate.folder, `its extra provider "${extra.id}" clashes with another plugin`));
        continue;
      }
      plugins.set(extra.id, extra);
    }
  }
  return { plugins, failures };
}

/**
 * A plugin module may serve several providers: besides its default export, a `providers` array of
 * plugins made the same way (the OpenAI-compatible plugin exports one per known host, so that
 * `GROQ_API_KEY` alone serves Groq). Each is checked like a default export.
 */
function extraProviders(value: unknown, folder: string, failures: PluginLoadError[]): ProviderPlugin[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    failures.push(new PluginLoadError(folder, 'its "providers" export must be an array of plugins'));
    return [];
  }
  return value.filter((plugin: unknown): plugin is ProviderPlugin => {
    const valid =
      isProviderPlugin(plugin) &&
      plugin.contractVersion === PLUGIN_CONTRACT_VERSION &&
      PLUGIN_ID.test(plugin.id) &&
      typeof plugin.createProvider === 'function' &&
      hasConfigSchema(plugin);
    if (!valid) failures.push(new PluginLoadError(folder, 'an entry of its "providers" export is not a valid plugin'));
    return valid;
  });
}

const MISSING_CONFIG_SCHEMA =
  'it has no configSchema: defineProviderPlugin() needs one describing the settings an endpoint may give it (a convict schema; {} when it takes none)';

function hasConfigSchema(plugin: ProviderPlugin): boolean {
  const schema: unknown = plugin.configSchema;
  return typeof schema === 'object' && schema !== null && !Array.isArray(schema);
}

/** The import, or a load error naming the plugin once `timeoutMs` has passed; the timer also keeps Node waiting. */
function withinStartTimeout<Value>(loading: Promise<Value>, folder: string, entry: string, timeoutMs: number): Promise<Value> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new PluginLoadError(folder, `importing ${entry} did not finish within ${timeoutMs} ms (LLM_PROXY_PLUGIN_START_TIMEOUT_MS)`)),
      timeoutMs,
    );
  });
  return Promise.race([loading, timeout]).finally(() => clearTimeout(timer));
}
