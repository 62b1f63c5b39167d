import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { Secret } from '@nachos/plugin-sdk';
import type { StoredKey } from './stored-endpoint.js';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Seals provider keys at rest with AES-256-GCM under `LLM_PROXY_REGISTRY_SECRET`, so that a Redis dump
 * or a copy of the registry file does not hand out the keys in it. Without a secret, keys are stored as
 * given and protected only by who can read Redis or the file (mode 0600).
 */
export class KeySealer {
  readonly #key: Buffer | undefined;

  constructor(secret: Secret | undefined) {
    this.#key = secret ? createHash('sha256').update(secret.reveal()).digest() : undefined;
  }

  seal(apiKey: Secret): StoredKey {
    if (!this.#key) return { plain: apiKey.reveal() };
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const sealed = Buffer.concat([cipher.update(apiKey.reveal(), 'utf8'), cipher.final()]);
    return { sealed: Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64') };
  }

  /** Throws when the key was sealed under another secret, or none is configured now. */
  open(stored: StoredKey): Secret {
    if ('plain' in stored) return new Secret(stored.plain);
    if (!this.#key) throw new Error('the key is sealed, but LLM_PROXY_REGISTRY_SECRET is not set');
    const bytes = Buffer.from(stored.sealed, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, bytes.subarray(0, IV_BYTES));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return new Secret(Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8'));
    } catch {
      throw new Error('the key was sealed under another LLM_PROXY_REGISTRY_SECRET');
    }
  }
}
