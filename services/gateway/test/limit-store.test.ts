import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { startRestartableRedis, type RestartableRedis } from '../../../test/helpers/restartable-redis.js';
import { startTestRedis, type TestRedis } from '../../../test/helpers/redis-for-tests.js';
import type { ConcurrencyCheck, LimitCheck, WindowCheck } from '../src/rate-limit/limit-check.js';
import type { LimitStore } from '../src/rate-limit/limit-store.js';
import { MemoryLimitStore } from '../src/rate-limit/memory-limit-store.js';
import { RedisLimitStore } from '../src/rate-limit/redis-limit-store.js';

const MINUTE = 60_000;
/** A minute boundary, so tests can place requests either side of a window edge. */
const T0 = Math.floor(Date.now() / MINUTE) * MINUTE;

function requests(key: string, limit: number): WindowCheck {
  return { kind: 'window', name: 'requests', key, limit, cost: 1, windowMs: MINUTE, consume: true };
}

function tokens(key: string, limit: number, cost: number): WindowCheck {
  return { kind: 'window', name: 'tokens', key, limit, cost, windowMs: MINUTE, consume: true };
}

function lease(key: string, limit: number, ttlMs = 30_000): ConcurrencyCheck {
  return { kind: 'concurrency', name: 'concurrent', key, limit, leaseId: randomUUID(), ttlMs };
}

/** The Lua scripts and the memory store implement one algorithm; both are held to the same behaviour. */
describe.each(['memory', 'redis'] as const)('limit store (%s)', (backend) => {
  let redis: TestRedis | undefined;
  let store: LimitStore;
  let key: (name: string) => string;

  beforeAll(async () => {
    if (backend === 'redis') redis = await startTestRedis();
  });

  beforeEach(async () => {
    const run = randomUUID();
    key = (name) => `test:{rl}:${run}:${name}`;
    if (backend === 'memory') {
      store = new MemoryLimitStore();
      return;
    }
    const redisStore = new RedisLimitStore({ url: redis?.url as string, commandTimeoutMs: 1_000 });
    expect(await redisStore.ready(5_000)).toBe(true);
    store = redisStore;
  });

  afterEach(() => {
    if (store instanceof RedisLimitStore) store.close();
  });

  afterAll(async () => {
    await redis?.stop();
  });

  it('admits up to the limit, then refuses with the time until the oldest request leaves the window', async () => {
    const check = requests(key('rpm'), 3);
    for (let index = 0; index < 3; index += 1) expect((await store.admit([check], T0 + index * 1_000)).allowed).toBe(true);
    const refused = await store.admit([check], T0 + 5_000);
    expect(refused.allowed).toBe(false);
    expect(refused.denied).toEqual({ name: 'requests', retryAfterMs: 61_000 - 5_000, tooLarge: false });
    expect(refused.states[0]).toMatchObject({ limit: 3, used: 3 });
    expect((await store.admit([check], T0 + 61_000)).allowed).toBe(true);
  });

  it('never admits more than the limit within any 60 s, even a burst straddling a window edge', async () => {
    const check = requests(key('edge'), 10);
    let admitted = 0;
    for (let index = 0; index < 20; index += 1) if ((await store.admit([check], T0 + 59_900)).allowed) admitted += 1;
    for (let index = 0; index < 20; index += 1) if ((await store.admit([check], T0 + 60_100)).allowed) admitted += 1;
    expect(admitted).toBe(10);
    // The burst at 59.9 s has left every 60 s span that ends after 120.9 s.
    expect((await store.admit([check], T0 + 119_000)).allowed).toBe(false);
    expect((await store.admit([check], T0 + 121_000)).allowed).toBe(true);
  });

  it('peeks at what each limit counts (the last minute, live leases) without changing it', async () => {
    const rpm = requests(key('peek-rpm'), 10);
    const tpm = tokens(key('peek-tpm'), 1_000, 120);
    const open = lease(key('peek-open'), 5, 120_000);
    expect((await store.admit([rpm, tpm, open], T0)).allowed).toBe(true);
    expect((await store.admit([rpm, lease(open.key, 5, 30_000)], T0 + 1_000)).allowed).toBe(true);
    const probes = [
      { kind: 'window', key: rpm.key, windowMs: 60_000 },
      { kind: 'window', key: tpm.key, windowMs: 60_000 },
      { kind: 'concurrency', key: open.key },
    ] as const;
    expect(await store.peek(probes, T0 + 1_500)).toEqual([2, 120, 2]);
    expect(await store.peek(probes, T0 + 1_500)).toEqual([2, 120, 2]);
    // The second lease has expired; then the requests leave the window.
    expect(await store.peek(probes, T0 + 31_500)).toEqual([2, 120, 1]);
    expect(await store.peek(probes, T0 + 62_000)).toEqual([0, 0, 1]);
  });

  it('checks all limits before counting any: a refused request costs nothing', async () => {
    const rpm = requests(key('all-rpm'), 100);
    const tpm = tokens(key('all-tpm'), 1_000, 600);
    expect((await store.admit([rpm, tpm], T0)).allowed).toBe(true);
    const refused = await store.admit([rpm, tpm], T0 + 1_000);
    expect(refused.denied?.name).toBe('tokens');
    expect(refused.states.map((state) => state.used)).toEqual([1, 600]);
    const small = await store.admit([rpm, { ...tpm, cost: 400 }], T0 + 2_000);
    expect(small.allowed).toBe(true);
    expect(small.states.map((state) => state.used)).toEqual([2, 1_000]);
  });

  it('says when a request can never fit', async () => {
    const refused = await store.admit([tokens(key('huge'), 1_000, 5_000)], T0);
    expect(refused.denied).toMatchObject({ name: 'tokens', tooLarge: true });
  });

  it('reconciles an estimate with real usage in the bucket it was counted in', async () => {
    const tpm = tokens(key('reconcile'), 1_000, 800);
    expect((await store.admit([tpm], T0)).allowed).toBe(true);
    await store.settle([{ key: tpm.key, windowMs: MINUTE, countedAt: T0, delta: -700 }], []);
    const next = await store.admit([{ ...tpm, cost: 850 }], T0 + 1_000);
    expect(next.allowed).toBe(true);
    expect(next.states[0]?.used).toBe(950);
    await store.settle([{ key: tpm.key, windowMs: MINUTE, countedAt: T0 + 1_000, delta: 200 }], []);
    expect((await store.admit([{ ...tpm, cost: 1, consume: false }], T0 + 2_000)).denied?.name).toBe('tokens');
  });

  it('asks without counting when told not to consume', async () => {
    const probe = { ...requests(key('probe'), 1), consume: false };
    expect((await store.admit([probe], T0)).allowed).toBe(true);
    expect((await store.admit([probe], T0)).allowed).toBe(true);
    expect((await store.admit([{ ...probe, consume: true }], T0)).allowed).toBe(true);
    expect((await store.admit([probe], T0)).allowed).toBe(false);
  });

  it('caps concurrent leases, frees them on release, and lets an abandoned lease expire', async () => {
    const first = lease(key('streams'), 2, 1_000);
    const second = { ...first, leaseId: randomUUID() };
    const third = { ...first, leaseId: randomUUID() };
    const now = Date.now();
    expect((await store.admit([first], now)).allowed).toBe(true);
    expect((await store.admit([second], now)).allowed).toBe(true);
    const refused = await store.admit([third], now);
    expect(refused.denied).toMatchObject({ name: 'concurrent' });
    expect(refused.states[0]).toMatchObject({ limit: 2, used: 2 });
    await store.settle([], [first]);
    expect((await store.admit([third], now)).allowed).toBe(true);
    await store.renew([third], now + 900);
    // `second` was never renewed: it expires at now + 1000, `third` lives until now + 1900.
    const later = await store.admit([{ ...first, leaseId: randomUUID() }], now + 1_500);
    expect(later.allowed).toBe(true);
    expect((await store.admit([{ ...first, leaseId: randomUUID() }], now + 1_500)).allowed).toBe(false);
  });

  it('takes no lease when another limit refuses', async () => {
    const slots = lease(key('no-lease'), 1);
    const rpm = requests(key('no-lease-rpm'), 1);
    expect((await store.admit([rpm], T0)).allowed).toBe(true);
    expect((await store.admit([rpm, slots], T0)).denied?.name).toBe('requests');
    expect((await store.admit([slots], T0)).allowed).toBe(true);
  });

  it('reports the time until the window is empty', async () => {
    const check = requests(key('reset'), 5);
    const decision = await store.admit([check] as LimitCheck[], T0 + 10_000);
    expect(decision.states[0]).toEqual({ name: 'requests', limit: 5, used: 1, resetMs: 61_000 });
  });
});

/** Some Redis proxies and managed Redis forbid SCRIPT: decisions must not need it (EVALSHA, then EVAL). */
describe('limit store on a Redis that forbids SCRIPT', () => {
  let redis: RestartableRedis;

  beforeAll(async () => {
    redis = await startRestartableRedis(['--rename-command', 'SCRIPT', '""']);
  });

  afterAll(async () => {
    await redis?.stop();
  });

  it('still decides, atomically, with every limit', async () => {
    const probe = new Redis(redis.url);
    await expect(probe.call('SCRIPT', 'LOAD', 'return 1')).rejects.toThrow(/unknown command/i);
    probe.disconnect();
    const store = new RedisLimitStore({ url: redis.url, commandTimeoutMs: 1_000 });
    expect(await store.ready(5_000)).toBe(true);
    const check = requests(`test:{rl}:${randomUUID()}:noscript`, 2);
    const outcomes = [];
    for (let index = 0; index < 3; index += 1) outcomes.push((await store.admit([check, lease(`${check.key}:open`, 5)], T0)).allowed);
    expect(outcomes).toEqual([true, true, false]);
    store.close();
  });
});
