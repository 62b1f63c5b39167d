import { ConfigError } from './config-error.js';
import type { Environment } from './read-secret-env.js';

const REFERENCE = /\{\{\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}|\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Replaces `{{ env.NAME }}` and `${NAME}` in every string of a parsed config file with the variable's
 * value, so that files can be committed without secrets. A reference to an unset variable is an error
 * naming the key and the variable.
 */
export function interpolateEnv(value: unknown, env: Environment, path = ''): unknown {
  if (typeof value === 'string') {
    return value.replace(REFERENCE, (_match, braced: string | undefined, dollar: string | undefined) => {
      const name = (braced ?? dollar) as string;
      const resolved = env[name];
      if (resolved === undefined) {
        throw new ConfigError(`${path || 'config'} refers to environment variable ${name}, which is not set`);
      }
      return resolved;
    });
  }
  if (Array.isArray(value)) {
    return value.map((item, index) => interpolateEnv(item, env, `${path}[${index}]`));
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, interpolateEnv(item, env, path ? `${path}.${key}` : key)]),
    );
  }
  return value;
}
