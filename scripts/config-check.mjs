#!/usr/bin/env node
/**
 * `npm run config:check [file]`: validates a configuration file (nachos.toml, or the file named, in any
 * dialect nachos reads) and prints the canonical nachos.toml it becomes, secrets redacted. Exits 1 with
 * the problem, named by its key, when the file would stop nachos from starting.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const build = spawnSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-b', 'services/common'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const { renderCanonicalConfig } = await import('@nachos/common');
// npm runs scripts from the package root; the caller's directory is where nachos.toml and [file] are.
const cwd = process.env.INIT_CWD || process.cwd();
const file = process.argv[2];
const env = file ? { ...process.env, NACHOS_CONFIG: file } : process.env;
try {
  process.stdout.write(renderCanonicalConfig(env, cwd));
} catch (error) {
  process.stderr.write(`configuration problem: ${error.message}\n`);
  process.exit(1);
}
