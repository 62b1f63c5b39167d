import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

/**
 * The environment `npm start` gives both services: `.env` in the working directory (as the seeds'
 * documents and `.env.example` assume), under the process environment, which always wins. Node's own
 * parser reads it (`KEY=value`, quotes, `#` comments, `export` prefixes).
 */
export function environmentWithDotenv(cwd, env) {
  const path = join(cwd, '.env');
  if (!existsSync(path)) return { env: { ...env }, read: undefined };
  const fromFile = parseEnv(readFileSync(path, 'utf8'));
  return { env: { ...fromFile, ...env }, read: { path, names: Object.keys(fromFile).length } };
}
