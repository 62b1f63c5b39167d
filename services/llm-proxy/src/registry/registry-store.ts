import type { StoredEndpoint } from './stored-endpoint.js';

/**
 * Where the admin API's endpoints are kept: Redis when configured (shared by every replica, changes
 * announced over pub/sub), else a local file. Writes fail loudly, so the admin API never says "added"
 * for an endpoint that would be gone after a restart.
 */
export interface RegistryStore {
  /** Every stored endpoint. */
  load(): Promise<StoredEndpoint[]>;
  put(endpoint: StoredEndpoint): Promise<void>;
  /** Whether there was such an endpoint. */
  remove(id: string): Promise<boolean>;
  /**
   * Calls `onChange` as soon as the stored set may have changed elsewhere (another replica, a reconnect).
   * Stores without change notices leave it out; the registry's periodic re-read covers them.
   */
  watch?(onChange: () => void): void;
  /** `redis` or `file`, for logs and the admin listing. */
  readonly kind: 'redis' | 'file';
  close(): Promise<void>;
}
