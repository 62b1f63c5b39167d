import { existsSync, readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { PluginLoadError } from './plugin-load-error.js';

/** A plugin folder found on disk, before its code is imported. */
export interface PluginCandidate {
  folder: string;
  directory: string;
  /** Absolute path of the ESM entry. */
  entry: string;
  /** The id the manifest declares (`nachosPlugin.id`). */
  id: string;
  /** The SDK range the plugin was built for (`nachosPlugin.sdk`). */
  sdkRange: string;
}

export interface DiscoveryResult {
  candidates: PluginCandidate[];
  failures: PluginLoadError[];
}

/**
 * Scans `pluginsDirectory` for folders whose package.json declares `nachosPlugin: { id, sdk }`.
 * Folders without a package.json or without `nachosPlugin` are not plugins (the SDK lives there too).
 * The entry is `exports["."]`, then `main`, then `index.js`: a plain `index.js` needs no build step.
 */
export function discoverPlugins(pluginsDirectory: string): DiscoveryResult {
  const candidates: PluginCandidate[] = [];
  const failures: PluginLoadError[] = [];
  const folders = readdirSync(pluginsDirectory, { withFileTypes: true })
    .filter((item) => isFolder(pluginsDirectory, item) && !item.name.startsWith('.') && !item.name.startsWith('_'))
    .map((item) => item.name)
    .sort();
  for (const folder of folders) {
    const directory = join(pluginsDirectory, folder);
    const manifestPath = join(directory, 'package.json');
    if (!existsSync(manifestPath)) continue;
    let manifest: Record<string, unknown>;
    try {
      manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      failures.push(new PluginLoadError(folder, `package.json is not valid JSON`, { cause: error }));
      continue;
    }
    const declaration = manifest.nachosPlugin as { id?: unknown; sdk?: unknown } | undefined;
    if (declaration === undefined) continue;
    if (typeof declaration.id !== 'string' || typeof declaration.sdk !== 'string') {
      failures.push(new PluginLoadError(folder, 'package.json "nachosPlugin" needs string fields "id" and "sdk"'));
      continue;
    }
    const entry = join(directory, entryOf(manifest));
    if (!existsSync(entry)) {
      failures.push(new PluginLoadError(folder, `entry ${entry} does not exist (is the plugin built?)`));
      continue;
    }
    candidates.push({ folder, directory, entry, id: declaration.id, sdkRange: declaration.sdk });
  }
  return { candidates, failures };
}

/** A folder, or a symbolic link to one (`ln -s ~/src/acme plugins/acme` while developing a plugin). */
function isFolder(pluginsDirectory: string, item: Dirent): boolean {
  if (item.isDirectory()) return true;
  return item.isSymbolicLink() && statSync(join(pluginsDirectory, item.name), { throwIfNoEntry: false })?.isDirectory() === true;
}

function entryOf(manifest: Record<string, unknown>): string {
  const exportsField = manifest.exports;
  if (typeof exportsField === 'string') return exportsField;
  if (typeof exportsField === 'object' && exportsField !== null) {
    const root = (exportsField as Record<string, unknown>)['.'];
    if (typeof root === 'string') return root;
    if (typeof root === 'object' && root !== null) {
      const target = (root as Record<string, unknown>).import ?? (root as Record<string, unknown>).default;
      if (typeof target === 'string') return target;
    }
  }
  return typeof manifest.main === 'string' ? manifest.main : 'index.js';
}
