import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from '../helpers/fake-openai-upstream.js';
import { startRestartableRedis, type RestartableRedis } from '../helpers/restartable-redis.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';
import { writeConfigFile } from '../helpers/write-config-file.js';

const KEY = 'sk-gw-recovery-44';

/**
 * I2 under traffic: Redis frozen (SIGSTOP) or restarted while requests keep coming, on a gateway that fails
 * closed (503 while it cannot reach Redis). Steady traffic must not keep the gateway away from Redis: once
 * Redis answers again, requests are admitted through Redis within a moment and stay so, and the limiter
 * does not flap between shared and degraded.
 */
describe('returning to Redis while traffic continues (I2)', () => {
  let redis: RestartableRedis;
  let upstream: FakeOpenAIUpstream;
  let services: RunningServices;
  let traffic: { stop: () => Promise<Array<{ status: number; at: number }>> } | undefined;

  beforeAll(async () => {
    redis = await startRestartableRedis();
    upstream = await startFakeOpenAIUpstream({ models: ['fake-model'] });
    services = await startServices({
      NACHOS_CONFIG: writeConfigFile('[[auth.keys]]\nname = "steady"\nkey_env = "KEY_STEADY"\nrate_limit = { requests_per_minute = 100000 }\n'),
      KEY_STEADY: KEY,
      REDIS_URL: redis.url,
      REDIS_COMMAND_TIMEOUT_MS: '100',
      NACHOS_RATE_LIMIT_ON_REDIS_FAILURE: 'closed',
      LLM_PROXY_ENDPOINT_X_URL: upstream.url,
      LLM_PROXY_ENDPOINT_X_MODELS: 'fake-model',
    });
  });

  afterEach(async () => {
    await traffic?.stop();
    traffic = undefined;
  });

  afterAll(async () => {
    await services?.stop();
    await upstream?.close();
    await redis?.stop();
  });

  const ask = async () => {
    const response = await fetch(`${services.gatewayUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ model: 'fake-model', messages: [{ role: 'user', content: 'hi' }] }),
    });
    await response.arrayBuffer();
    return response.status;
  };
  /** A request every 50 ms, far more often than the gateway's one-second retry interval. */
  const steadyTraffic = () => {
    let running = true;
    const results: Array<{ status: number; at: number }> = [];
    const loop = (async () => {
      while (running) {
        const at = Date.now();
        results.push({ status: await ask(), at });
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    return {
      stop: async () => {
        running = false;
        await loop;
        return results;
      },
    };
  };
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const readyStatus = async () => ((await (await fetch(`${services.gatewayUrl}/ready`)).json()) as { status: string }).status;
  const degradedGauge = async () => /^nachos_gateway_rate_limit_degraded (\d)$/m.exec(await (await fetch(`${services.gatewayUrl}/metrics`)).text())?.[1];
  const waitFor = async (condition: () => Promise<boolean>, withinMs: number) => {
    const deadline = Date.now() + withinMs;
    while (Date.now() < deadline) {
      if (await condition()) return true;
      await pause(100);
    }
    return false;
  };
  /**
   * After Redis answers `/ready` again, allows the gateway a moment to return, then watches for three
   * seconds: every request admitted and the limiter never degraded.
   */
  const expectBackOnRedis = async (running: NonNullable<typeof traffic>) => {
    expect(await waitFor(async () => (await readyStatus()) === 'ready', 10_000)).toBe(true);
    await pause(2_000);
    const watchedFrom = Date.now();
    const gauges: Array<string | undefined> = [];
    for (let index = 0; index < 10; index++) {
      gauges.push(await degradedGauge());
      await pause(300);
    }
    const results = await running.stop();
    expect(gauges).toEqual(Array(10).fill('0'));
    const watched = results.filter((result) => result.at >= watchedFrom);
    expect(watched.length).toBeGreaterThan(10);
    expect(watched.filter((result) => result.status !== 200)).toEqual([]);
  };

  it('goes back to Redis after a freeze although requests never stop', async () => {
    expect(await readyStatus()).toBe('ready');
    traffic = steadyTraffic();
    redis.freeze();
    expect(await waitFor(async () => (await ask()) === 503, 10_000)).toBe(true);
    redis.thaw();
    await expectBackOnRedis(traffic);
    traffic = undefined;
  });

  it('goes back to Redis after a restart although requests never stop', async () => {
    traffic = steadyTraffic();
    await redis.kill();
    expect(await waitFor(async () => (await ask()) === 503, 10_000)).toBe(true);
    await redis.restart();
    await expectBackOnRedis(traffic);
    traffic = undefined;
  });
});
