/**
 * At most `limit` values by key, the least recently used dropped first: a cache whose keys callers choose
 * (deployment names come from clients' model names) stays bounded however many they send.
 */
export class RecentValues<K, V> {
  readonly #limit: number;
  readonly #values = new Map<K, V>();

  constructor(limit: number) {
    this.#limit = limit;
  }

  get size(): number {
    return this.#values.size;
  }

  /** The value for `key`, made by `make` when it is not (or no longer) kept. */
  get(key: K, make: () => V): V {
    let value = this.#values.get(key);
    if (value === undefined) {
      value = make();
      if (this.#values.size >= this.#limit) this.#values.delete(this.#values.keys().next().value as K);
    } else {
      // A Map keeps insertion order: moving the key to the end keeps the order one of use.
      this.#values.delete(key);
    }
    this.#values.set(key, value);
    return value;
  }
}
