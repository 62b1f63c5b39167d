import type { MemoryState } from './memory-state.js';
import type { RedisState } from './redis-state.js';
import type { Cooldown, SharedState, SharedStateMode } from './shared-state.js';

/**
 * Redis first; on any Redis failure, the same call on this process's memory, and the mode says
 * `degraded` until Redis answers again. Nothing waits for Redis longer than its command timeout, so
 * an outage never hangs a request, and recovery needs no restart.
 */
export class ResilientState implements SharedState {
  readonly #redis: RedisState;
  readonly #memory: MemoryState;
  readonly #onModeChange: (mode: SharedStateMode, error?: Error) => void;
  #degraded = false;

  constructor(redis: RedisState, memory: MemoryState, onModeChange: (mode: SharedStateMode, error?: Error) => void = () => {}) {
    this.#redis = redis;
    this.#memory = memory;
    this.#onModeChange = onModeChange;
  }

  extendCooldown(key: string, untilMs: number, reason: string): Promise<Cooldown> {
    // Kept in memory too, so a replica that loses Redis still remembers what it learnt.
    void this.#memory.extendCooldown(key, untilMs, reason);
    return this.#call((state) => state.extendCooldown(key, untilMs, reason));
  }

  activeCooldowns(keys: readonly string[]): Promise<Map<string, Cooldown>> {
    return this.#call((state) => state.activeCooldowns(keys));
  }

  listCooldowns(): Promise<Cooldown[]> {
    return this.#call((state) => state.listCooldowns());
  }

  async clearCooldown(key: string): Promise<boolean> {
    // Cleared in memory too, or a later outage would bring the cooldown back from there.
    const inMemory = await this.#memory.clearCooldown(key);
    return (await this.#call((state) => state.clearCooldown(key))) || inMemory;
  }

  addToWindow(key: string, amount: number, windowMs: number): Promise<number> {
    return this.#call((state) => state.addToWindow(key, amount, windowMs));
  }

  readWindow(key: string, windowMs: number): Promise<number> {
    return this.#call((state) => state.readWindow(key, windowMs));
  }

  holdLease(key: string, leaseId: string, ttlMs: number): Promise<number> {
    return this.#call((state) => state.holdLease(key, leaseId, ttlMs));
  }

  releaseLease(key: string, leaseId: string): Promise<void> {
    void this.#memory.releaseLease(key, leaseId);
    return this.#call((state) => state.releaseLease(key, leaseId));
  }

  countLeases(keys: readonly string[]): Promise<number[]> {
    return this.#call((state) => state.countLeases(keys));
  }

  mode(): SharedStateMode {
    return this.#degraded ? 'degraded' : 'redis';
  }

  async close(): Promise<void> {
    await this.#redis.close();
  }

  async #call<Result>(operation: (state: SharedState) => Promise<Result>): Promise<Result> {
    try {
      const result = await operation(this.#redis);
      if (this.#degraded) {
        this.#degraded = false;
        this.#onModeChange('redis');
      }
      return result;
    } catch (error) {
      if (!this.#degraded) {
        this.#degraded = true;
        this.#onModeChange('degraded', error as Error);
      }
      return operation(this.#memory);
    }
  }
}
