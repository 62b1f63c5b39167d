import { readFileSync } from 'node:fs';
import { Secret } from '@nachos/plugin-sdk';
import { ConfigError } from './config-error.js';

export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Reads secret `name` from the environment, either inline (`NAME`) or, as Docker secrets give it, from
 * the file named by `NAME_FILE` (trailing newline trimmed). Setting both, or naming a file that cannot
 * be read, is a configuration error that names the variable, never the value.
 */
export function readSecretEnv(env: Environment, name: string): Secret | undefined {
  const inline = nonEmpty(env[name]);
  const filePath = nonEmpty(env[`${name}_FILE`]);
  if (inline !== undefined && filePath !== undefined) {
    throw new ConfigError(`both ${name} and ${name}_FILE are set; set only one`);
  }
  if (filePath !== undefined) {
    let content: string;
    try {
      content = readFileSync(filePath, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new ConfigError(`${name}_FILE names a file that cannot be read (${code}): ${filePath}`);
    }
    const value = content.replace(/\r?\n$/, '');
    if (value === '') throw new ConfigError(`${name}_FILE names an empty file: ${filePath}`);
    return new Secret(value);
  }
  return inline === undefined ? undefined : new Secret(inline);
}

/** Whether the environment provides secret `name` in either form. */
export function hasSecretEnv(env: Environment, name: string): boolean {
  return nonEmpty(env[name]) !== undefined || nonEmpty(env[`${name}_FILE`]) !== undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
