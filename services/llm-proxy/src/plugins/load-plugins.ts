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
 * the SDK range and that the id matches both the manifest and the folder name.
 */
export async function loadPlugins(
  pluginsDirectory: string,
  sdkVersion: string,
  importModule: ImportModule,
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
      module = await importModule(candidate.entry);
    } catch (error) {
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
      typeof plugin.createProvider === 'function';
    if (!valid) failures.push(new PluginLoadError(folder, 'an entry of its "providers" export is not a valid plugin'));
    return valid;
  });
}
