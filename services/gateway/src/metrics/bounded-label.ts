/**
 * Keeps a metric label's values bounded when they come from outside (model names an upstream reports):
 * the first `capacity` distinct values are used as they are, later ones become `other`.
 */
export class BoundedLabel {
  readonly #seen = new Set<string>();
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  value(raw: string): string {
    if (this.#seen.has(raw)) return raw;
    if (this.#seen.size >= this.#capacity) return 'other';
    this.#seen.add(raw);
    return raw;
  }
}
