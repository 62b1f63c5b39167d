import type { Cooldown, SharedState, SharedStateMode } from './shared-state.js';

/** The single-process backend: the same semantics as Redis, held in maps, expired lazily. */
export class MemoryState implements SharedState {
  readonly #cooldowns = new Map<string, Cooldown>();
  readonly #windows = new Map<string, { windowStart: number; total: number }>();
  readonly #leases = new Map<string, Map<string, number>>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  async extendCooldown(key: string, untilMs: number, reason: string): Promise<Cooldown> {
    const current = this.#live(key);
    if (current && current.untilMs >= untilMs) return current;
    const next = { key, untilMs, reason };
    this.#cooldowns.set(key, next);
    return next;
  }

  async activeCooldowns(keys: readonly string[]): Promise<Map<string, Cooldown>> {
    const active = new Map<string, Cooldown>();
    for (const key of keys) {
      const cooldown = this.#live(key);
      if (cooldown) active.set(key, cooldown);
    }
    return active;
  }

  async clearCooldown(key: string): Promise<boolean> {
    const live = this.#live(key) !== undefined;
    this.#cooldowns.delete(key);
    return live;
  }

  async listCooldowns(): Promise<Cooldown[]> {
    return [...this.#cooldowns.keys()].map((key) => this.#live(key)).filter((cooldown): cooldown is Cooldown => cooldown !== undefined);
  }

  async addToWindow(key: string, amount: number, windowMs: number): Promise<number> {
    const windowStart = Math.floor(this.#now() / windowMs) * windowMs;
    const current = this.#windows.get(key);
    const total = (current?.windowStart === windowStart ? current.total : 0) + amount;
    this.#windows.set(key, { windowStart, total });
    return total;
  }

  async readWindow(key: string, windowMs: number): Promise<number> {
    const windowStart = Math.floor(this.#now() / windowMs) * windowMs;
    const current = this.#windows.get(key);
    return current?.windowStart === windowStart ? current.total : 0;
  }

  async holdLease(key: string, leaseId: string, ttlMs: number): Promise<number> {
    const leases = this.#leases.get(key) ?? new Map<string, number>();
    leases.set(leaseId, this.#now() + ttlMs);
    this.#leases.set(key, leases);
    return this.#liveLeases(key);
  }

  async releaseLease(key: string, leaseId: string): Promise<void> {
    this.#leases.get(key)?.delete(leaseId);
  }

  async countLeases(keys: readonly string[]): Promise<number[]> {
    return keys.map((key) => this.#liveLeases(key));
  }

  mode(): SharedStateMode {
    return 'memory';
  }

  async close(): Promise<void> {}

  #live(key: string): Cooldown | undefined {
    const cooldown = this.#cooldowns.get(key);
    if (cooldown && cooldown.untilMs <= this.#now()) {
      this.#cooldowns.delete(key);
      return undefined;
    }
    return cooldown;
  }

  #liveLeases(key: string): number {
    const leases = this.#leases.get(key);
    if (!leases) return 0;
    const now = this.#now();
    for (const [id, expiry] of leases) if (expiry <= now) leases.delete(id);
    return leases.size;
  }
}
