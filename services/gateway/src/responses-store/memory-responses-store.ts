import type { ResponsesStore, StoredResponse } from './stored-response.js';

export interface MemoryResponsesStoreOptions {
  ttlMs: number;
  /** Largest single response kept, as serialised JSON bytes. */
  maxResponseBytes: number;
  /** All responses together; the oldest are dropped to make room. */
  maxTotalBytes: number;
  now?: () => number;
}

interface Entry {
  json: string;
  bytes: number;
  expiresAt: number;
}

/**
 * Stored responses in this process, for a gateway without Redis. Entries are kept as JSON text, so a
 * caller never shares objects with the store, and in insertion order, so the oldest go first when
 * the total would pass its bound.
 */
export class MemoryResponsesStore implements ResponsesStore {
  readonly #entries = new Map<string, Entry>();
  readonly #options: MemoryResponsesStoreOptions;
  readonly #now: () => number;
  #totalBytes = 0;

  constructor(options: MemoryResponsesStoreOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  async save(owner: string, id: string, stored: StoredResponse): Promise<boolean> {
    const json = JSON.stringify(stored);
    const bytes = Buffer.byteLength(json);
    if (bytes > this.#options.maxResponseBytes) return false;
    this.#remove(keyOf(owner, id));
    while (this.#totalBytes + bytes > this.#options.maxTotalBytes && this.#entries.size > 0) {
      this.#remove(this.#entries.keys().next().value as string);
    }
    this.#entries.set(keyOf(owner, id), { json, bytes, expiresAt: this.#now() + this.#options.ttlMs });
    this.#totalBytes += bytes;
    return true;
  }

  async get(owner: string, id: string): Promise<StoredResponse | undefined> {
    const key = keyOf(owner, id);
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.#now()) {
      this.#remove(key);
      return undefined;
    }
    return JSON.parse(entry.json) as StoredResponse;
  }

  async delete(owner: string, id: string): Promise<boolean> {
    const found = (await this.get(owner, id)) !== undefined;
    this.#remove(keyOf(owner, id));
    return found;
  }

  close(): void {
    this.#entries.clear();
    this.#totalBytes = 0;
  }

  #remove(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#totalBytes -= entry.bytes;
  }
}

function keyOf(owner: string, id: string): string {
  return `${owner}\u0000${id}`;
}
