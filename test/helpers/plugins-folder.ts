import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface PluginsFolder {
  /** For `NACHOS_PLUGINS_DIR`. */
  path: string;
  /** Links a built-in plugin (`plugins/<id>`, built) into the folder. */
  linkBuiltIn: (id: string) => void;
  /** Copies a plugin folder from the repository (`plugins/_examples/echo-provider`) in as `folder`. */
  copy: (source: string, folder: string) => void;
  /** Writes a plugin folder from file contents, as a third party would drop one in. */
  write: (folder: string, files: Record<string, string>) => void;
  remove: () => void;
}

/**
 * A plugins folder of its own for a test, as an operator would lay one out. It lives under the
 * repository's git-ignored `test/.tmp/`, not the system temp folder: a plugin imports
 * `@nachos/plugin-sdk`, which Node resolves from the plugin's own location upward, so the folder must
 * sit where the installation's `node_modules` is found (as `/app/plugins` does in the image).
 */
export function createPluginsFolder(): PluginsFolder {
  const parent = join(ROOT, 'test', '.tmp');
  mkdirSync(parent, { recursive: true });
  const path = mkdtempSync(join(parent, 'plugins-'));
  return {
    path,
    linkBuiltIn: (id) => symlinkSync(join(ROOT, 'plugins', id), join(path, id), 'dir'),
    copy: (source, folder) => cpSync(join(ROOT, source), join(path, folder), { recursive: true }),
    write: (folder, files) => {
      mkdirSync(join(path, folder));
      for (const [name, content] of Object.entries(files)) writeFileSync(join(path, folder, name), content);
    },
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}
