import { readFileSync } from 'node:fs';
import { Secret } from '@nachos/plugin-sdk';

export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Reads secret `name` from the environment, inline (`NAME`) or, as Docker and Kubernetes secrets give
 * it, from the file named by `NAME_FILE` (one trailing newline trimmed). The same rules llm-proxy
 * applies to provider keys, repeated here because a plugin depends on the SDK alone: setting both
 * forms, or naming a file that cannot be read or is empty, is an error that names the variable and
 * never the value.
 */
export function readSecretVariable(env: Environment, name: string): Secret | undefined {
  const inline = nonEmpty(env[name]);
  const filePath = nonEmpty(env[`${name}_FILE`]);
  if (inline !== undefined && filePath !== undefined) {
    throw new Error(`both ${name} and ${name}_FILE are set; set only one`);
  }
  if (filePath === undefined) {
    return inline === undefined ? undefined : new Secret(inline);
  }
  let content: string;
  try {
    content = readFileSync(filePath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new Error(`${name}_FILE names a file that cannot be read (${code}): ${filePath}`);
  }
  const value = content.replace(/\r?\n$/, '');
  if (value === '') {
    throw new Error(`${name}_FILE names an empty file: ${filePath}`);
  }
  return new Secret(value);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
