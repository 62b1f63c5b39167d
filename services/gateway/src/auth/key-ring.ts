import { createHash, timingSafeEqual } from 'node:crypto';
import type { GatewayKey } from './gateway-key.js';

/**
 * Finds the key a caller presented in constant time: both sides are compared as SHA-256 digests (equal
 * length whatever was sent) with `timingSafeEqual`, and every key is compared on every lookup, so neither
 * a key's content, its length nor its position in the list shows in the response time.
 */
export class KeyRing {
  readonly #entries: ReadonlyArray<{ key: GatewayKey; digest: Buffer }>;

  constructor(keys: readonly GatewayKey[]) {
    this.#entries = keys.map((key) => ({ key, digest: digest(key.secret.reveal()) }));
  }

  get size(): number {
    return this.#entries.length;
  }

  find(presented: string): GatewayKey | undefined {
    const given = digest(presented);
    let found: GatewayKey | undefined;
    for (const entry of this.#entries) {
      if (timingSafeEqual(given, entry.digest) && found === undefined) found = entry.key;
    }
    return found;
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
