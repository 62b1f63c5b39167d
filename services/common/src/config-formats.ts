import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * The TOML and YAML libraries, required when a config file is read or rendered rather than at import:
 * services configured by the environment alone never need them, and together they hold ~2.5 MB of RSS.
 */
export const tomlFormat = (): typeof import('smol-toml') => require('smol-toml') as typeof import('smol-toml');
export const yamlFormat = (): typeof import('yaml') => require('yaml') as typeof import('yaml');
