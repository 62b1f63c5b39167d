import { tomlFormat } from './config-formats.js';
import { readConfigFile } from './load-config-file.js';
import { loadNachosConfig } from './load-nachos-config.js';
import type { Environment } from './read-secret-env.js';

/** Keys whose values are secrets wherever they appear in canonical settings. */
const SECRET_KEYS = new Set(['api_key', 'key']);
const REDACTED = '<redacted>';

/**
 * What `npm run config:check` prints: the canonical `nachos.toml` a configuration file becomes, with the
 * dialect it was read as and the settings not applied as comments. The whole configuration is validated
 * first (a problem throws, naming the key); keys written in the file are redacted, and environment
 * references are shown as written, so no secret is ever printed.
 */
export function renderCanonicalConfig(env: Environment, cwd = process.cwd()): string {
  loadNachosConfig(env, cwd);
  const file = readConfigFile(env, cwd);
  const header = [
    `# read from ${file.path ?? '(no file: defaults and the environment)'} as ${file.dialect}`,
    ...file.warnings.map((warning) => `# warning: ${warning}`),
  ];
  return `${header.join('\n')}\n${tomlFormat().stringify(redact(file.content))}\n`;
}

function redact(value: unknown, key = ''): unknown {
  if (typeof value === 'string') {
    if (SECRET_KEYS.has(key)) return REDACTED;
    return value.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/@\s]*)@/i, (_match, scheme: string) => `${scheme}${REDACTED}@`);
  }
  if (Array.isArray(value)) return value.map((item) => redact(item, key));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, redact(item, name)]));
  }
  return value;
}
