import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import { startTestRedis, type TestRedis } from '../../../test/helpers/redis-for-tests.js';
import { ReplicaDirectory } from '../src/state/replica-directory.js';

const name = (port: number) => `${hostname()}:${port} (pid ${process.pid})`;

describe('ReplicaDirectory', () => {
  let redis: TestRedis;
  let raw: Redis;

  beforeAll(async () => {
    redis = await startTestRedis();
    raw = new Redis(redis.url);
  });

  afterAll(async () => {
    raw.disconnect();
    await redis.stop();
  });

  it('lists every replica sharing the hash with its own status, a change seen as soon as it is said', async () => {
    const key = `unit${Date.now()}:replicas`;
    let draining = false;
    const first = await ReplicaDirectory.start({ redisUrl: redis.url, key, port: 1, status: () => (draining ? 'draining' : 'serving') });
    const second = await ReplicaDirectory.start({ redisUrl: redis.url, key, port: 2, status: () => 'serving' });
    try {
      await until(async () => (await second.list()).length === 2);
      expect((await second.list()).map(({ replica, status }) => ({ replica, status }))).toEqual([
        { replica: name(1), status: 'serving' },
        { replica: name(2), status: 'serving' },
      ]);
      draining = true;
      await first.beat();
      expect((await second.list()).find((sighting) => sighting.replica === name(1))?.status).toBe('draining');
    } finally {
      await first.close();
      await second.close();
    }
    expect(await raw.hkeys(key)).toEqual([]);
  });

  it('shows a replica that missed its beats as silent, and forgets one long gone or unreadable', async () => {
    const key = `unit${Date.now()}:stale`;
    const now = Date.now();
    const beat = (agoMs: number) => JSON.stringify({ status: 'serving', started_at: new Date(now - 600_000).toISOString(), seen_at: new Date(now - agoMs).toISOString() });
    await raw.hset(key, 'frozen', beat(20_000), 'gone', beat(180_000), 'garbled', 'not json');
    const directory = await ReplicaDirectory.start({ redisUrl: redis.url, key, port: 3, status: () => 'serving' });
    try {
      await until(async () => (await raw.hexists(key, name(3))) === 1);
      expect((await directory.list()).map(({ replica, status }) => ({ replica, status }))).toEqual(
        [
          { replica: 'frozen', status: 'silent' },
          { replica: name(3), status: 'serving' },
        ].sort((a, b) => a.replica.localeCompare(b.replica)),
      );
      expect((await raw.hkeys(key)).sort()).toEqual(['frozen', name(3)].sort());
    } finally {
      await directory.close();
    }
  });

  it('knows only itself without Redis', async () => {
    const directory = await ReplicaDirectory.start({ redisUrl: '', key: 'unused', port: 4, status: () => 'lagging' });
    expect(await directory.list()).toEqual([expect.objectContaining({ replica: name(4), status: 'lagging' })]);
    await directory.close();
  });
});

async function until(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 20));
}
