import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Writes a nachos config file (TOML) to a fresh temporary folder and returns its path, for `NACHOS_CONFIG`. */
export function writeConfigFile(toml: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'nachos-e2e-')), 'nachos.toml');
  writeFileSync(path, toml);
  return path;
}
