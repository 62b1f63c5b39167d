import convict from 'convict';
import { ConfigError } from './config-error.js';
import { loadConfigFile } from './load-config-file.js';
import type { NachosConfig } from './nachos-config.js';
import { nachosConfigSchema, openTables } from './nachos-config-schema.js';
import type { Environment } from './read-secret-env.js';

type OpenTablePath = keyof typeof openTables;

/**
 * Loads the configuration: schema defaults, then the config file, then the environment (highest).
 * Validation is strict: an unknown key or a bad value throws a ConfigError naming the key. The result
 * is deep-frozen; only a service's `main.ts` calls this.
 */
export function loadNachosConfig(env: Environment = process.env, cwd = process.cwd()): NachosConfig {
  const file = loadConfigFile(env, cwd);
  const where = file.path ? ` in ${file.path}` : '';
  const content = structuredClone(file.content);
  const tables = new Map<OpenTablePath, unknown>();
  try {
    for (const [path, check] of Object.entries(openTables) as Array<[OpenTablePath, (value: unknown) => void]>) {
      const value = takeOut(content, path);
      if (value !== undefined) check(value);
      tables.set(path, value);
    }
    const schema = convict(nachosConfigSchema as convict.Schema<unknown>, { env: env as NodeJS.ProcessEnv, args: [] });
    schema.load(content);
    schema.validate({ allowed: 'strict' });
    const fixed = schema.getProperties() as Omit<NachosConfig, 'endpoints' | 'providers' | 'source_file' | 'source_dialect' | 'config_warnings'>;
    return deepFreeze({
      ...fixed,
      llm: {
        ...fixed.llm,
        models: (tables.get('llm.models') ?? {}) as NachosConfig['llm']['models'],
        profiles: (tables.get('llm.profiles') ?? []) as NachosConfig['llm']['profiles'],
      },
      endpoints: (tables.get('endpoints') ?? {}) as NachosConfig['endpoints'],
      providers: (tables.get('providers') ?? {}) as NachosConfig['providers'],
      source_file: file.path ?? '',
      source_dialect: file.dialect,
      config_warnings: file.warnings,
    });
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`invalid configuration${where}: ${describe(error)}`);
  }
}

/** Removes the value at a dotted path from a parsed file and returns it. */
function takeOut(content: Record<string, unknown>, path: string): unknown {
  const keys = path.split('.');
  const last = keys.pop() as string;
  let node: unknown = content;
  for (const key of keys) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  if (typeof node !== 'object' || node === null) return undefined;
  const value = (node as Record<string, unknown>)[last];
  delete (node as Record<string, unknown>)[last];
  return value;
}

/** convict joins several problems with newlines; keep them all on one line. */
function describe(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n').join('; ');
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}
