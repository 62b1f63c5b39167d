import { readFileSync } from 'node:fs';
import { ConfigError, readSecretEnv, type AuthKeyConfig, type Environment } from '@nachos/common';
import { Secret } from '@nachos/plugin-sdk';
import type { GatewayKey } from './gateway-key.js';

/**
 * Every gateway key: `NACHOS_API_KEYS` (a comma list, or `NACHOS_API_KEYS_FILE`), named `api-key-1`, … in
 * order, and each `[[auth.keys]]` entry, read from its environment variable (or `_FILE`) or its file, or
 * written in the configuration.
 * A key that is configured but cannot be read stops start-up, naming the variable or file, never a value.
 */
export function loadGatewayKeys(env: Environment, entries: readonly AuthKeyConfig[]): GatewayKey[] {
  const keys: GatewayKey[] = [];
  const listed = readSecretEnv(env, 'NACHOS_API_KEYS');
  const values = [...new Set((listed?.reveal() ?? '').split(',').map((value) => value.trim()).filter((value) => value !== ''))];
  values.forEach((value, index) => keys.push({ name: `api-key-${index + 1}`, secret: new Secret(value), models: undefined, limits: {} }));
  for (const entry of entries) {
    keys.push({
      name: entry.name,
      secret: readEntryKey(env, entry),
      models: entry.models,
      limits: {
        requestsPerMinute: entry.rate_limit?.requests_per_minute,
        tokensPerMinute: entry.rate_limit?.tokens_per_minute,
        maxConcurrent: entry.rate_limit?.max_concurrent,
        inputTokenLimit: entry.rate_limit?.input_token_limit,
      },
    });
  }
  refuseSharedValues(keys);
  return keys;
}

function readEntryKey(env: Environment, entry: AuthKeyConfig): Secret {
  if (entry.key !== undefined) return new Secret(entry.key);
  if (entry.key_env !== undefined) {
    const secret = readSecretEnv(env, entry.key_env);
    if (!secret) throw new ConfigError(`auth.keys "${entry.name}": ${entry.key_env} (or ${entry.key_env}_FILE) is not set`);
    return secret;
  }
  let content: string;
  try {
    content = readFileSync(entry.key_file as string, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError(`auth.keys "${entry.name}": key_file cannot be read (${code}): ${entry.key_file}`);
  }
  const value = content.replace(/\r?\n$/, '');
  if (value.trim() === '') throw new ConfigError(`auth.keys "${entry.name}": key_file is empty: ${entry.key_file}`);
  return new Secret(value);
}

/** One value under two names would make a caller's identity (and its limits) a matter of list order. */
function refuseSharedValues(keys: readonly GatewayKey[]): void {
  const seen = new Map<string, string>();
  for (const key of keys) {
    const other = seen.get(key.secret.reveal());
    if (other !== undefined) throw new ConfigError(`gateway keys "${other}" and "${key.name}" have the same value`);
    seen.set(key.secret.reveal(), key.name);
  }
}
