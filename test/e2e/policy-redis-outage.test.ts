import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from '../helpers/fake-openai-upstream.js';
import { startRestartableRedis, type RestartableRedis } from '../helpers/restartable-redis.js';
import { startGatewayReplica, type GatewayReplica } from '../helpers/start-gateway-replica.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';
import { writeConfigFile } from '../helpers/write-config-file.js';

const KEYS = { before: 'sk-gw-before-11', outage: 'sk-gw-outage-22', after: 'sk-gw-after-33' };

/**
 * I1: Redis is killed under load and comes back. No request waits on the dead Redis; each gateway
 * enforces its share of the limit (limit ÷ replicas) meanwhile, says so in /ready and a metric, and goes
 * back to shared limits on its own. A gateway configured to fail closed answers 503, never 429.
 */
describe('rate limits while Redis is down, and after it comes back (I1)', () => {
  let redis: RestartableRedis;
  let upstream: FakeOpenAIUpstream;
  let services: RunningServices;
  let replica: GatewayReplica;
  let closed: GatewayReplica;
  let gateways: string[];

  beforeAll(async () => {
    redis = await startRestartableRedis();
    upstream = await startFakeOpenAIUpstream({ models: ['fake-model'] });
    const keysToml = Object.keys(KEYS)
      .map((name) => `[[auth.keys]]\nname = "${name}"\nkey_env = "KEY_${name.toUpperCase()}"\nrate_limit = { requests_per_minute = 10 }\n`)
      .join('');
    const env = {
      NACHOS_CONFIG: writeConfigFile(`[rate_limit]\nreplicas = 2\n${keysToml}`),
      ...Object.fromEntries(Object.entries(KEYS).map(([name, key]) => [`KEY_${name.toUpperCase()}`, key])),
      REDIS_URL: redis.url,
      LLM_PROXY_ENDPOINT_X_URL: upstream.url,
      LLM_PROXY_ENDPOINT_X_MODELS: 'fake-model',
    };
    services = await startServices(env);
    replica = await startGatewayReplica(services, env);
    closed = await startGatewayReplica(services, { ...env, NACHOS_RATE_LIMIT_ON_REDIS_FAILURE: 'closed' });
    gateways = [services.gatewayUrl, replica.url];
  });

  afterAll(async () => {
    await closed?.stop();
    await replica?.stop();
    await services?.stop();
    await upstream?.close();
    await redis?.stop();
  });

  const ask = async (url: string, key: string) => {
    const started = performance.now();
    const response = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ model: 'fake-model', messages: [{ role: 'user', content: 'hi' }] }),
    });
    await response.arrayBuffer();
    return { status: response.status, ms: performance.now() - started, retryAfter: response.headers.get('retry-after') };
  };
  const ready = async (url: string) => {
    const response = await fetch(`${url}/ready`);
    return { status: response.status, body: (await response.json()) as { status: string; checks: Record<string, unknown> } };
  };
  const degradedGauge = async (url: string) => /^nachos_gateway_rate_limit_degraded (\d)$/m.exec(await (await fetch(`${url}/metrics`)).text())?.[1];
  const admittedOf = (results: Array<{ status: number }>) => results.filter((result) => result.status === 200).length;

  it('shares one budget while Redis is up', async () => {
    expect((await ready(gateways[0] as string)).body).toMatchObject({ status: 'ready', checks: { redis: 'ok' } });
    const results = await Promise.all(Array.from({ length: 16 }, (_, index) => ask(gateways[index % 2] as string, KEYS.before)));
    expect(admittedOf(results)).toBe(10);
  });

  it('keeps serving without waiting on the dead Redis, each gateway holding its share of the limit', async () => {
    await redis.kill();
    const perGateway = await Promise.all(
      gateways.map((url) => Promise.all(Array.from({ length: 12 }, () => ask(url, KEYS.outage)))),
    );
    expect(perGateway.map(admittedOf)).toEqual([5, 5]);
    const slowest = Math.max(...perGateway.flat().map((result) => result.ms));
    expect(slowest).toBeLessThan(1_500);
    for (const url of gateways) {
      expect(await ready(url)).toEqual({ status: 200, body: expect.objectContaining({ status: 'degraded', checks: expect.objectContaining({ redis: 'unreachable' }) }) });
      expect(await degradedGauge(url)).toBe('1');
    }
    expect(services.gateway.output()).toContain('Redis unavailable for rate limits: each replica enforces its share of every limit');
  });

  it('answers 503 (not 429) where the gateway is configured to fail closed, and leaves rotation', async () => {
    const refused = await ask(closed.url, KEYS.outage);
    expect(refused.status).toBe(503);
    expect(refused.retryAfter).toBe('1');
    expect((await ready(closed.url)).status).toBe(503);
  });

  it('goes back to one shared budget once Redis returns, without a restart', async () => {
    await redis.restart();
    const deadline = Date.now() + 15_000;
    const states = async () => Promise.all([...gateways, closed.url].map(async (url) => (await ready(url)).body.status));
    while (Date.now() < deadline && (await states()).some((status) => status !== 'ready')) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await states()).toEqual(['ready', 'ready', 'ready']);
    for (const url of gateways) expect(await degradedGauge(url)).toBe('0');
    expect(services.gateway.output()).toContain('Redis is back: rate limits are shared again');

    const results = await Promise.all(Array.from({ length: 16 }, (_, index) => ask([...gateways, closed.url][index % 3] as string, KEYS.after)));
    expect(admittedOf(results)).toBe(10);
  });
});
