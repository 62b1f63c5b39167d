import Redis from 'ioredis';
import { startTestRedis, type TestRedis } from './redis-for-tests.js';

describe('startTestRedis', () => {
  let redis: TestRedis;

  beforeAll(async () => {
    redis = await startTestRedis();
  });

  afterAll(async () => {
    await redis?.stop();
  });

  it('provides a real Redis that answers commands', async () => {
    const client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await client.connect();
    await client.set('nachos:test', 'ok');
    expect(await client.get('nachos:test')).toBe('ok');
    client.disconnect();
  });
});
