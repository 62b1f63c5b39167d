import { GatewayError } from '../src/errors/gateway-error.js';
import type { WindowCheck } from '../src/rate-limit/limit-check.js';
import { MemoryLimitStore } from '../src/rate-limit/memory-limit-store.js';
import { RedisLimitStore } from '../src/rate-limit/redis-limit-store.js';
import { ResilientLimitStore, type RedisFailureMode } from '../src/rate-limit/resilient-limit-store.js';

const check: WindowCheck = { kind: 'window', name: 'requests', key: 'k', limit: 10, cost: 1, windowMs: 60_000, consume: true };

/** A Redis that is not there: port 9 refuses connections. */
function storeWith(mode: RedisFailureMode, changes: boolean[] = []) {
  const redis = new RedisLimitStore({ url: 'redis://127.0.0.1:9', commandTimeoutMs: 100 });
  const store = new ResilientLimitStore(redis, new MemoryLimitStore(), { mode, replicas: 4, retryIntervalMs: 1_000, onModeChange: (degraded) => changes.push(degraded) });
  return { store, close: () => redis.close() };
}

describe('ResilientLimitStore without its Redis', () => {
  it('local: decides at once in memory with this replica’s share of the limit, and says it is degraded', async () => {
    const changes: boolean[] = [];
    const { store, close } = storeWith('local', changes);
    const started = performance.now();
    const decisions = [];
    for (let index = 0; index < 4; index += 1) decisions.push(await store.admit([check], Date.now()));
    expect(performance.now() - started).toBeLessThan(100);
    expect(decisions.map((decision) => decision.allowed)).toEqual([true, true, false, false]);
    expect(decisions[0]).toMatchObject({ backend: 'memory', states: [{ limit: 2 }] });
    expect(store.degraded).toBe(true);
    expect(changes).toEqual([true]);
    expect(await store.probe()).toBe('unreachable');
    close();
  });

  it('open: admits everything, holding nothing', async () => {
    const { store, close } = storeWith('open');
    const decision = await store.admit([check], Date.now());
    expect(decision).toMatchObject({ allowed: true, states: [], backend: 'none', store: undefined });
    close();
  });

  it('closed: refuses with a 503 (unavailable), never a 429', async () => {
    const { store, close } = storeWith('closed');
    const refusal = await store.admit([check], Date.now()).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(GatewayError);
    expect(refusal).toMatchObject({ kind: 'unavailable', retryAfterMs: 1_000 });
    close();
  });

  it('asks nothing of any store for a request under no limit', async () => {
    const { store, close } = storeWith('closed');
    expect(await store.admit([], Date.now())).toMatchObject({ allowed: true, backend: 'none' });
    close();
  });
});

describe('ResilientLimitStore without Redis configured', () => {
  it('counts in memory by design, not degraded', async () => {
    const store = new ResilientLimitStore(undefined, new MemoryLimitStore(), { mode: 'closed', replicas: 3, retryIntervalMs: 1_000, onModeChange: () => {} });
    const decision = await store.admit([check], Date.now());
    expect(decision).toMatchObject({ allowed: true, backend: 'memory', states: [{ limit: 10 }] });
    expect(store.degraded).toBe(false);
    expect(await store.probe()).toBe('not_configured');
  });
});
