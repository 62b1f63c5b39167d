import { fileURLToPath } from 'node:url';

/** The configured plugins folder, or this installation's `plugins/` (four levels above `dist/`). */
export function resolvePluginsDirectory(configured: string): string {
  return configured || fileURLToPath(new URL('../../../plugins/', import.meta.url));
}
