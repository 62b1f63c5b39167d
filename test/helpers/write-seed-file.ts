import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Writes a configuration file under its own name (`config.yaml`, `nexus.toml`…) in a fresh folder; returns its path. */
export function writeSeedFile(name: string, content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'nachos-seed-')), name);
  writeFileSync(path, content);
  return path;
}
