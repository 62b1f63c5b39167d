import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RegistryStore } from './registry-store.js';
import type { StoredEndpoint } from './stored-endpoint.js';

interface RegistryFile {
  version: 1;
  endpoints: Record<string, StoredEndpoint>;
}

/**
 * The registry in a local JSON file, for a machine without Redis. Every write goes to a temporary file
 * in the same folder (mode 0600: it may hold provider keys), is flushed to disk and renamed over the old
 * one, so a crash leaves the old registry or the new one, never half of either. Writes from this process
 * are queued one after another; replicas that share the file (a shared volume) see each other's changes
 * at the registry's periodic re-read.
 */
export class FileRegistryStore implements RegistryStore {
  readonly kind = 'file' as const;
  readonly #path: string;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(path: string) {
    this.#path = path;
  }

  async load(): Promise<StoredEndpoint[]> {
    return Object.values((await this.#read()).endpoints);
  }

  put(endpoint: StoredEndpoint): Promise<void> {
    return this.#update((file) => {
      file.endpoints[endpoint.id] = endpoint;
      return undefined;
    });
  }

  remove(id: string): Promise<boolean> {
    return this.#update((file) => {
      const existed = id in file.endpoints;
      delete file.endpoints[id];
      return existed;
    });
  }

  async close(): Promise<void> {
    await this.#queue.catch(() => {});
  }

  #update<Result>(change: (file: RegistryFile) => Result): Promise<Awaited<Result>> {
    const next = this.#queue.then(async () => {
      const file = await this.#read();
      const result = change(file);
      await this.#write(file);
      return result;
    });
    this.#queue = next.catch(() => {});
    return next as Promise<Awaited<Result>>;
  }

  async #read(): Promise<RegistryFile> {
    let text: string;
    try {
      text = await readFile(this.#path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, endpoints: {} };
      throw error;
    }
    const parsed = JSON.parse(text) as Partial<RegistryFile>;
    if (parsed.version !== 1 || typeof parsed.endpoints !== 'object' || parsed.endpoints === null) {
      throw new Error(`${this.#path} is not a nachos registry file (version 1)`);
    }
    return parsed as RegistryFile;
  }

  async #write(file: RegistryFile): Promise<void> {
    await mkdir(dirname(this.#path), { recursive: true, mode: 0o700 });
    const temporary = `${this.#path}.${randomUUID()}.tmp`;
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(file, null, 2)}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temporary, this.#path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }
}
