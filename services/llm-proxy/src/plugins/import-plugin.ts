import { pathToFileURL } from 'node:url';

/**
 * The only dynamic import in llm-proxy. Injected into the loader so that unit tests can hand it modules
 * without touching the file system.
 */
export type ImportModule = (entry: string) => Promise<{ default?: unknown }>;

export const importPlugin: ImportModule = (entry) => import(pathToFileURL(entry).href) as Promise<{ default?: unknown }>;
