import type { JsonObject } from '@nachos/plugin-sdk';

/** A key as the store keeps it: sealed when `LLM_PROXY_REGISTRY_SECRET` is set, else as given. */
export type StoredKey = { plain: string } | { sealed: string };

/**
 * An endpoint added through the admin API, as persisted (Redis hash or local file) and read back by every
 * replica. `revision` changes on every write, so a replica rebuilds only what changed.
 */
export interface StoredEndpoint {
  id: string;
  provider: string;
  baseUrl: string;
  models?: string[];
  weight: number;
  rateLimit?: { rpm?: number; tpm?: number };
  headers: Record<string, string>;
  options: JsonObject;
  key?: StoredKey;
  revision: string;
  updatedAt: string;
}
