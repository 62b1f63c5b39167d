import { startTestRedis, type TestRedis } from '../../../test/helpers/redis-for-tests.js';
import { MemoryState } from '../src/state/memory-state.js';
import { RedisState } from '../src/state/redis-state.js';
import { ResilientState } from '../src/state/resilient-state.js';
import type { SharedState } from '../src/state/shared-state.js';

/** The two backends must agree: the same behaviour in memory and in a real Redis. */
describe.each(['memory', 'redis'] as const)('SharedState (%s)', (backend) => {
  let redis: TestRedis | undefined;
  let state: SharedState;

  beforeAll(async () => {
    if (backend === 'redis') redis = await startTestRedis();
  });

  beforeEach(async () => {
    if (backend === 'memory') {
      state = new MemoryState();
      return;
    }
    const redisState = new RedisState({ url: redis!.url, prefix: `unit${Date.now()}${Math.random()}:`, commandTimeoutMs: 500 });
    await redisState.ready(3_000);
    state = redisState;
  });

  afterEach(async () => {
    await state.close();
  });

  afterAll(async () => {
    await redis?.stop();
  });

  it('only ever extends a cooldown', async () => {
    const now = Date.now();
    await state.extendCooldown('ep/key', now + 10_000, 'rate limited (429)');
    const shorter = await state.extendCooldown('ep/key', now + 1_000, 'later, shorter');
    expect(shorter).toEqual({ key: 'ep/key', untilMs: now + 10_000, reason: 'rate limited (429)' });
    const longer = await state.extendCooldown('ep/key', now + 20_000, 'key rejected (401)');
    expect(longer.untilMs).toBe(now + 20_000);
    const active = await state.activeCooldowns(['ep/key', 'ep/other']);
    expect([...active.keys()]).toEqual(['ep/key']);
    expect(active.get('ep/key')?.reason).toBe('key rejected (401)');
    expect((await state.listCooldowns()).map((cooldown) => cooldown.key)).toEqual(['ep/key']);
  });

  it('clears a cooldown by hand, and says when there was none', async () => {
    await state.extendCooldown('ep/cleared/model-a', Date.now() + 60_000, 'key rejected (401)');
    expect(await state.clearCooldown('ep/cleared/model-a')).toBe(true);
    expect((await state.activeCooldowns(['ep/cleared/model-a'])).size).toBe(0);
    expect((await state.listCooldowns()).map((cooldown) => cooldown.key)).not.toContain('ep/cleared/model-a');
    expect(await state.clearCooldown('ep/cleared/model-a')).toBe(false);
  });

  it('forgets a cooldown once it has ended', async () => {
    await state.extendCooldown('ep/short', Date.now() + 50, 'brief');
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect((await state.activeCooldowns(['ep/short'])).size).toBe(0);
    expect(await state.listCooldowns()).toEqual([]);
  });

  it('counts a fixed window', async () => {
    expect(await state.addToWindow('rpm:ep', 1, 60_000)).toBe(1);
    expect(await state.addToWindow('rpm:ep', 4, 60_000)).toBe(5);
    expect(await state.readWindow('rpm:ep', 60_000)).toBe(5);
    expect(await state.readWindow('rpm:other', 60_000)).toBe(0);
  });

  it('counts live leases, which expire on their own', async () => {
    expect(await state.holdLease('ep', 'a', 10_000)).toBe(1);
    expect(await state.holdLease('ep', 'b', 60)).toBe(2);
    expect(await state.countLeases(['ep', 'none'])).toEqual([2, 0]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await state.countLeases(['ep'])).toEqual([1]);
    await state.releaseLease('ep', 'a');
    expect(await state.countLeases(['ep'])).toEqual([0]);
  });
});

describe('ResilientState', () => {
  it('falls back to memory at once when Redis is unreachable, says degraded, and recovers', async () => {
    const redis = await startTestRedis();
    const modes: string[] = [];
    // A Redis that is not there: nothing listens on port 1.
    const broken = new RedisState({ url: 'redis://127.0.0.1:1', prefix: 'x:', commandTimeoutMs: 100 });
    const state = new ResilientState(broken, new MemoryState(), (mode) => modes.push(mode));
    const started = Date.now();
    await state.extendCooldown('ep/key', Date.now() + 5_000, 'rate limited (429)');
    expect((await state.activeCooldowns(['ep/key'])).size).toBe(1);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(state.mode()).toBe('degraded');
    expect(modes).toEqual(['degraded']);
    await state.close();

    const working = new RedisState({ url: redis.url, prefix: `resilient${Date.now()}:`, commandTimeoutMs: 500 });
    await working.ready(3_000);
    const recovering = new ResilientState(working, new MemoryState(), (mode) => modes.push(mode));
    await recovering.addToWindow('w', 1, 60_000);
    expect(recovering.mode()).toBe('redis');
    await recovering.close();
    await redis.stop();
  });
});
