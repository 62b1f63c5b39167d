import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from '../helpers/fake-openai-upstream.js';
import { startTestRedis, type TestRedis } from '../helpers/redis-for-tests.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';
import { writeConfigFile } from '../helpers/write-config-file.js';

const ADMIN_KEY = 'admin-registry-canary-5555';
const PROVIDER_KEY = 'sk-added-endpoint-canary-66666666';

/**
 * The admin API's endpoint registry through real processes: an endpoint added on one replica is served by
 * another within a second (Redis pub/sub), survives restarts (Redis, or the local file without Redis),
 * never shows its key, and URLs aimed at metadata services or other forbidden hosts are refused.
 */
describe('endpoint registry (admin API)', () => {
  let redis: TestRedis;
  let upstream: FakeOpenAIUpstream;
  const running: RunningServices[] = [];
  let testNumber = 0;

  beforeAll(async () => {
    redis = await startTestRedis();
    upstream = await startFakeOpenAIUpstream({ models: ['added-model'], words: ['served', ' by', ' the', ' added', ' endpoint'] });
  });

  beforeEach(() => {
    testNumber += 1;
    upstream.requests.length = 0;
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((services) => services.stop()));
  });

  afterAll(async () => {
    await upstream?.close();
    await redis?.stop();
  });

  async function replica(env: Record<string, string>): Promise<RunningServices> {
    // The fake upstreams listen on loopback, which run-time endpoints may use only when allowed.
    const services = await startServices({ NACHOS_ADMIN_KEY: ADMIN_KEY, LLM_PROXY_LOCAL_DISCOVERY: '0', LLM_PROXY_REGISTRY_ALLOW_LOOPBACK: '1', ...env });
    running.push(services);
    return services;
  }

  const admin = (services: RunningServices, path: string, init: RequestInit = {}) =>
    fetch(`${services.gatewayUrl}${path}`, { ...init, headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json', ...init.headers } });
  const add = (services: RunningServices, body: Record<string, unknown>, path = '/admin/v1/registry') =>
    admin(services, path, { method: 'POST', body: JSON.stringify(body) });
  const modelIds = async (services: RunningServices) =>
    ((await (await fetch(`${services.gatewayUrl}/v1/models`)).json()) as { data: Array<{ id: string }> }).data.map((model) => model.id);
  const ask = (services: RunningServices) =>
    new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: 'unused', maxRetries: 0 }).chat.completions.create({
      model: 'added-model',
      messages: [{ role: 'user', content: 'hi' }],
    });
  const endpoint = { id: 'added', base_url: '', api_key: PROVIDER_KEY, models: ['added-model'] };

  it('serves an endpoint added on one replica from the other within a second, and after both restart', async () => {
    const shared = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: `registry${testNumber}:` };
    const one = await replica(shared);
    const two = await replica(shared);
    expect(await modelIds(two)).not.toContain('added-model');

    const added = await add(one, { ...endpoint, base_url: upstream.url });
    const addedText = await added.text();
    expect(added.status).toBe(201);
    expect(addedText).not.toContain(PROVIDER_KEY);
    expect(JSON.parse(addedText)).toMatchObject({ endpoint: { id: 'added', source: 'admin', has_key: true, models: ['added-model'] } });

    const startedAt = Date.now();
    while (!(await modelIds(two)).includes('added-model')) {
      expect(Date.now() - startedAt).toBeLessThan(1_000);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect((await ask(two)).choices[0]?.message.content).toBe('served by the added endpoint');
    expect(upstream.requests.filter((request) => request.method === 'POST').map((request) => request.headers.authorization)).toEqual([`Bearer ${PROVIDER_KEY}`]);

    const listing = await (await admin(two, '/api/v1/registry')).text();
    expect(listing).not.toContain(PROVIDER_KEY);
    expect(JSON.parse(listing).endpoints).toContainEqual(expect.objectContaining({ id: 'added', source: 'admin', has_key: true }));

    await Promise.all(running.splice(0).map((services) => services.stop()));
    const restarted = await replica(shared);
    expect(await modelIds(restarted)).toContain('added-model');
    expect((await ask(restarted)).choices[0]?.message.content).toBe('served by the added endpoint');

    const removed = await admin(restarted, '/admin/v1/registry/added', { method: 'DELETE' });
    expect(removed.status).toBe(200);
    expect(await modelIds(restarted)).not.toContain('added-model');
    expect((await admin(restarted, '/admin/v1/registry/added', { method: 'DELETE' })).status).toBe(404);
    for (const services of [one, two, restarted]) expect(services.logs()).not.toContain(PROVIDER_KEY);
  });

  it('without Redis keeps the registry in a 0600 file, the key sealed when a registry secret is set, and serves it after a restart', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'nachos-registry-'));
    const file = join(folder, 'state', 'registry.json');
    const env = { LLM_PROXY_REGISTRY_FILE: file, LLM_PROXY_REGISTRY_SECRET: 'registry-secret-for-tests' };
    const first = await replica(env);
    expect((await add(first, { ...endpoint, base_url: upstream.url })).status).toBe(201);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).not.toContain(PROVIDER_KEY);

    await first.stop();
    running.splice(running.indexOf(first), 1);
    const second = await replica(env);
    expect((await ask(second)).choices[0]?.message.content).toBe('served by the added endpoint');
    expect(upstream.requests.at(-1)?.headers.authorization).toBe(`Bearer ${PROVIDER_KEY}`);
  });

  it('refuses URLs aimed at metadata services, link-local or denied hosts, other schemes and credentials in the URL', async () => {
    const config = writeConfigFile(`
[endpoints.declared]
provider = "openai-compatible"
base_url = "${upstream.url}"
models = ["declared-model"]
`);
    const services = await replica({
      NACHOS_CONFIG: config,
      LLM_PROXY_REGISTRY_FILE: join(mkdtempSync(join(tmpdir(), 'nachos-registry-')), 'registry.json'),
      LLM_PROXY_REGISTRY_DENIED_HOSTS: '10.0.0.0/8,*.corp.example',
    });
    const refusals: Array<[string, RegExp]> = [
      ['http://169.254.169.254/latest/meta-data', /link-local or metadata address/],
      ['http://[::ffff:169.254.169.254]/v1', /link-local or metadata address/],
      ['http://[fe80::1]/v1', /link-local or metadata address/],
      ['http://metadata.google.internal/computeMetadata/v1', /cloud metadata service/],
      ['http://100.100.100.200/latest', /link-local or metadata address/],
      ['http://10.1.2.3:8000/v1', /denied/],
      ['https://llm.corp.example/v1', /denied/],
      ['file:///etc/passwd', /http or https/],
      ['gopher://127.0.0.1:6379/_FLUSHALL', /http or https/],
      ['http://user:secret@127.0.0.1:8000/v1', /must not carry credentials/],
      ['http://0.0.0.0:8000/v1', /unspecified address/],
    ];
    for (const [url, reason] of refusals) {
      const response = await add(services, { ...endpoint, id: 'attempt', base_url: url });
      const body = (await response.json()) as { error: { type: string; message: string } };
      expect({ url, status: response.status, type: body.error.type }).toEqual({ url, status: 400, type: 'invalid_request' });
      expect(body.error.message).toMatch(reason);
    }
    const declared = await add(services, { ...endpoint, id: 'declared', base_url: upstream.url });
    expect(declared.status).toBe(400);
    expect(((await declared.json()) as { error: { message: string } }).error.message).toMatch(/declared by the config file/);
    expect((await add(services, { ...endpoint, id: 'x', base_url: upstream.url, provider: 'no-such-plugin' })).status).toBe(400);
    expect((await add(services, { ...endpoint, id: 'x', base_url: upstream.url, typo: 1 })).status).toBe(400);

    const unauthorised = await fetch(`${services.gatewayUrl}/api/v1/registry`, { method: 'POST', headers: { authorization: 'Bearer wrong' }, body: '{}' });
    expect(unauthorised.status).toBe(401);
    expect((await fetch(`${services.gatewayUrl}/admin/v1/registry`)).status).toBe(401);

    const listed = ((await (await admin(services, '/admin/v1/registry')).json()) as { endpoints: Array<{ id: string; source: string }> }).endpoints;
    expect(listed.map(({ id, source }) => ({ id, source }))).toEqual([{ id: 'declared', source: 'config' }]);
    expect(upstream.requests).toEqual([]);
  });
});
