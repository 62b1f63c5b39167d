import { existsSync, readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { ConfigError } from './config-error.js';
import { tomlFormat, yamlFormat } from './config-formats.js';
import { translateConfig } from './dialects/translate-config.js';
import { interpolateEnv } from './interpolate-env.js';
import type { Environment } from './read-secret-env.js';

export interface LoadedConfigFile {
  path: string | undefined;
  /** Canonical settings, whatever dialect the file was written in. */
  content: Record<string, unknown>;
  /** The dialect the file was read as (`nachos` when there is no file). */
  dialect: string;
  /** Settings of the file that were read but not applied, named by the file's own keys. */
  warnings: string[];
}

/**
 * Finds and parses the config file: `NACHOS_CONFIG` when set (it must exist), else `nachos.toml` in the
 * working directory when present, else an empty config. TOML, YAML and JSON are told apart by extension;
 * the dialect (nachos' own, LiteLLM, LLMProxy, Nexus) by the content's shape. Environment references are
 * resolved after translation, so a foreign key that only names a variable stays a variable's name.
 */
export function loadConfigFile(env: Environment, cwd = process.cwd()): LoadedConfigFile {
  const file = readConfigFile(env, cwd);
  return { ...file, content: interpolateEnv(file.content, env) as Record<string, unknown> };
}

/** The file's canonical settings as written: translated from its dialect, environment references left in place. */
export function readConfigFile(env: Environment, cwd = process.cwd()): LoadedConfigFile {
  const named = env.NACHOS_CONFIG?.trim();
  const path = named ? resolve(cwd, named) : resolve(cwd, 'nachos.toml');
  if (!existsSync(path)) {
    if (named) throw new ConfigError(`NACHOS_CONFIG names a file that does not exist: ${path}`);
    return { path: undefined, content: {}, dialect: 'nachos', warnings: [] };
  }
  const text = readFileSync(path, 'utf8');
  const parsed = parseByExtension(path, text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`${path} must hold a table/object at the top level`);
  }
  const translated = translateConfig(parsed as Record<string, unknown>, path);
  return { path, content: translated.content, dialect: translated.dialect, warnings: translated.warnings };
}

function parseByExtension(path: string, text: string): unknown {
  const extension = extname(path).toLowerCase();
  try {
    if (extension === '.toml') return tomlFormat().parse(text);
    if (extension === '.yaml' || extension === '.yml') return yamlFormat().parse(text) ?? {};
    if (extension === '.json') return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${path} is not valid ${extension.slice(1).toUpperCase()}: ${(error as Error).message}`);
  }
  throw new ConfigError(`${path}: unsupported config format ${extension || '(none)'}; use .toml, .yaml or .json`);
}
