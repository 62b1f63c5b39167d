import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineProviderPlugin } from '@nachos/plugin-sdk';
import { loadPlugins } from './load-plugins.js';

function pluginsFolder(manifests: Record<string, unknown>): string {
  const root = mkdtempSync(join(tmpdir(), 'nachos-plugins-'));
  for (const [folder, manifest] of Object.entries(manifests)) {
    mkdirSync(join(root, folder));
    writeFileSync(join(root, folder, 'index.js'), '');
    if (manifest !== undefined) writeFileSync(join(root, folder, 'package.json'), JSON.stringify(manifest));
  }
  return root;
}

const good = (id: string) => defineProviderPlugin({ id, configSchema: {}, catalogue: [], createProvider: () => ({ chat: async function* () {} }) });

describe('loadPlugins', () => {
  it('loads well-formed plugins and explains every broken one', async () => {
    const root = pluginsFolder({
      alpha: { nachosPlugin: { id: 'alpha', sdk: '^0.1.0' } },
      'not-a-plugin': { name: 'library' },
      mismatch: { nachosPlugin: { id: 'other', sdk: '^0.1.0' } },
      future: { nachosPlugin: { id: 'future', sdk: '^2.0.0' } },
      plain: { nachosPlugin: { id: 'plain', sdk: '^0.1.0' } },
      throws: { nachosPlugin: { id: 'throws', sdk: '^0.1.0' } },
    });
    const modules: Record<string, () => Promise<{ default?: unknown }>> = {
      alpha: async () => ({ default: good('alpha') }),
      plain: async () => ({ default: { id: 'plain' } }),
      throws: async () => {
        throw new Error('syntax error in index.js');
      },
    };
    const { plugins, failures } = await loadPlugins(root, '0.1.0', (entry) => {
      const folder = entry.split('/').at(-2) as string;
      const load = modules[folder];
      if (!load) throw new Error(`unexpected import of ${entry}`);
      return load();
    }, 5_000);
    expect([...plugins.keys()]).toEqual(['alpha']);
    const messages = failures.map((failure) => failure.message).sort();
    expect(messages).toEqual([
      expect.stringMatching(/plugin "future" failed to load: needs plugin SDK \^2\.0\.0, this llm-proxy has 0\.1\.0/),
      expect.stringMatching(/plugin "mismatch" failed to load: id "other" must .* equal the folder name/),
      expect.stringMatching(/plugin "plain" failed to load: its default export is not made by defineProviderPlugin/),
      expect.stringMatching(/plugin "throws" failed to load: importing .* threw: syntax error in index\.js/),
    ]);
  });
});
