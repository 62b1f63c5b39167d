import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverPlugins } from './discover-plugins.js';

function pluginFolder(parent: string, folder: string): string {
  const directory = join(parent, folder);
  mkdirSync(directory);
  writeFileSync(join(directory, 'index.js'), '');
  writeFileSync(join(directory, 'package.json'), JSON.stringify({ nachosPlugin: { id: folder, sdk: '^0.1.0' } }));
  return directory;
}

describe('discoverPlugins', () => {
  it('finds plugin folders and symbolic links to them, skipping _ and . folders and dangling links', () => {
    const root = mkdtempSync(join(tmpdir(), 'nachos-discover-'));
    const elsewhere = mkdtempSync(join(tmpdir(), 'nachos-plugin-source-'));
    const plugins = join(root, 'plugins');
    mkdirSync(plugins);
    pluginFolder(plugins, 'alpha');
    pluginFolder(plugins, '_template');
    pluginFolder(plugins, '.hidden');
    symlinkSync(pluginFolder(elsewhere, 'linked'), join(plugins, 'linked'));
    symlinkSync(join(elsewhere, 'gone'), join(plugins, 'dangling'));

    const { candidates, failures } = discoverPlugins(plugins);

    expect(candidates.map((candidate) => candidate.id)).toEqual(['alpha', 'linked']);
    expect(candidates[1]?.entry).toBe(join(plugins, 'linked', 'index.js'));
    expect(failures).toEqual([]);
  });
});
