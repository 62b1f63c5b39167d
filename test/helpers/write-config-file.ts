import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Writes a nachos config file to a fresh temp folder and returns its path, for `NACHOS_CONFIG`. */
export function writeConfigFile(content: string, name = 'nachos.toml'): string {
  const path = join(mkdtempSync(join(tmpdir(), 'nachos-config-')), name);
  writeFileSync(path, content);
  return path;
}
