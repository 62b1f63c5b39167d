/**
 * The calls running on one long-lived stream, by id: a `Map` whose removed entries let go of their calls at
 * once. A plain `Map` does not. With calls coming and going, V8 rebuilds its table every so many calls, and
 * once the `Map` has lived long its new tables are made in the old generation. A table it has replaced keeps
 * the entries it held until a full collection, and every scavenge till then treats them as live: each call
 * open at a rebuild (one every 64 calls, with 64 running) was promoted, and everything it held with it. Here
 * the table holds a small box per call, emptied when the call leaves, so a replaced table keeps only boxes.
 */
export class CallTable<T extends object> {
  readonly #boxes = new Map<number, { call: T | undefined }>();

  get size(): number {
    return this.#boxes.size;
  }

  get(id: number): T | undefined {
    return this.#boxes.get(id)?.call;
  }

  has(id: number): boolean {
    return this.#boxes.has(id);
  }

  set(id: number, call: T): void {
    const box = this.#boxes.get(id);
    if (box) box.call = call;
    else this.#boxes.set(id, { call });
  }

  /** Whether the id was there. */
  delete(id: number): boolean {
    const box = this.#boxes.get(id);
    if (!box) return false;
    box.call = undefined;
    this.#boxes.delete(id);
    return true;
  }

  /** The calls now, as an array: a caller may end them, which removes them, while it goes through it. */
  calls(): T[] {
    const calls: T[] = [];
    for (const box of this.#boxes.values()) calls.push(box.call as T);
    return calls;
  }

  clear(): void {
    for (const box of this.#boxes.values()) box.call = undefined;
    this.#boxes.clear();
  }
}
