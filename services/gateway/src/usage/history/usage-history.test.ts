import { startTestRedis, type TestRedis } from '../../../../../test/helpers/redis-for-tests.js';
import { sampleUsageRecord } from '../../../../../test/helpers/sample-usage-record.js';
import { bucketsOf } from './history-range.js';
import { MemoryHistoryBackend } from './memory-history-backend.js';
import { RedisHistoryBackend } from './redis-history-backend.js';
import { summarizeHistory } from './summarize-history.js';
import { UsageHistory } from './usage-history.js';

const DAY = 86_400_000;

async function summary(history: UsageHistory, range: 'hour' | 'day' | 'week' | 'yesterday', now = Date.now()) {
  const buckets = bucketsOf(range, now);
  return summarizeHistory(buckets, await history.buckets(buckets.scale, buckets.starts));
}

describe('UsageHistory', () => {
  const open: UsageHistory[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((history) => history.close()));
  });
  const make = (backend: ConstructorParameters<typeof UsageHistory>[0]['backend']) => {
    const history = new UsageHistory({ backend, retentionMs: 8 * DAY });
    open.push(history);
    return history;
  };

  it('counts requests, failures and tokens per minute, overall and by key, model, provider and endpoint', async () => {
    const history = make(new MemoryHistoryBackend(8 * DAY));
    history.record(sampleUsageRecord({}));
    history.record(sampleUsageRecord({ key_name: 'team-b', outcome: 'error', input_tokens: 3, output_tokens: 0, time_to_first_token_ms: null }));
    await history.flush();
    history.record(sampleUsageRecord({ resolved_model: 'claude-sonnet', provider: 'anthropic', endpoint: 'anthropic', time_to_first_token_ms: 900 }));

    const hour = await summary(history, 'hour');
    expect(hour.times).toHaveLength(60);
    expect(hour.step_ms).toBe(60_000);
    expect(hour.totals).toMatchObject({ requests: 3, failures: 1, input_tokens: 23, output_tokens: 10, total_tokens: 33 });
    expect(hour.series.requests.at(-1)).toBe(3);
    expect(hour.groups.key?.map((group) => [group.name, group.requests, group.failures])).toEqual([
      ['team-a', 2, 0],
      ['team-b', 1, 1],
    ]);
    expect(hour.groups.provider?.map((group) => group.name)).toEqual(['openai', 'anthropic']);
    expect(hour.totals.ttft_p50_ms).toBeGreaterThan(50);
    expect(hour.totals.ttft_p50_ms).toBeLessThanOrEqual(100);
    expect(hour.totals.ttft_p95_ms).toBeGreaterThan(750);

    const week = await summary(history, 'week');
    expect(week.times).toHaveLength(168);
    expect(week.totals.requests).toBe(3);
  });

  it('reads yesterday (UTC) by the hour, apart from today', async () => {
    const history = make(new MemoryHistoryBackend(8 * DAY));
    const now = Date.now();
    history.record(sampleUsageRecord({ timestamp: new Date(now - DAY).toISOString(), key_name: 'yesterday-key' }));
    history.record(sampleUsageRecord({}));
    const yesterday = await summary(history, 'yesterday', now);
    expect(yesterday.times[0]).toBe(Math.floor(now / DAY) * DAY - DAY);
    expect(yesterday.groups.key?.map((group) => group.name)).toEqual(['yesterday-key']);
  });

  it('forgets buckets older than the retention without Redis', async () => {
    const backend = new MemoryHistoryBackend(2 * 3_600_000);
    const history = make(backend);
    history.record(sampleUsageRecord({ timestamp: new Date(Date.now() - 5 * 3_600_000).toISOString(), key_name: 'old' }));
    history.record(sampleUsageRecord({ key_name: 'new' }));
    await history.flush();
    expect((await summary(history, 'day')).groups.key?.map((group) => group.name)).toEqual(['new']);
  });

  describe('in Redis', () => {
    let redis: TestRedis;
    beforeAll(async () => {
      redis = await startTestRedis();
    });
    afterAll(async () => {
      await redis?.stop();
    });

    it('adds up every replica, and the hashes expire after the retention', async () => {
      const options = { url: redis.url, keyPrefix: `history${Date.now()}:`, retentionMs: 8 * DAY, commandTimeoutMs: 1_000 };
      const one = make(new RedisHistoryBackend(options));
      const two = make(new RedisHistoryBackend(options));
      await new Promise((resolve) => setTimeout(resolve, 200));
      one.record(sampleUsageRecord({ key_name: 'team-a' }));
      two.record(sampleUsageRecord({ key_name: 'team-b', output_tokens: 50 }));
      await Promise.all([one.flush(), two.flush()]);
      const seen = await summary(make(new RedisHistoryBackend(options)), 'hour');
      expect(seen.totals).toMatchObject({ requests: 2, output_tokens: 55 });
      expect((await summary(one, 'day')).groups.key?.map((group) => group.name).sort()).toEqual(['team-a', 'team-b']);
      const { Redis } = await import('ioredis');
      const client = new Redis(redis.url);
      const keys = await client.keys(`${options.keyPrefix}usage:*`);
      expect(keys.length).toBe(2);
      for (const key of keys) expect(await client.pttl(key)).toBeGreaterThan(7 * DAY);
      client.disconnect();
    });
  });
});
