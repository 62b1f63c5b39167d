/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import type { Page } from 'playwright-core';
import { freePort } from '../helpers/free-port.js';
import { saveScreenshots, startHeadlessChromium, type HeadlessChromium } from '../helpers/headless-chromium.js';
import { startTestRedis, type TestRedis } from '../helpers/redis-for-tests.js';
import { deltaChunk, startScriptedOpenAIUpstream, streamChunks, type ScriptedOpenAIUpstream } from '../helpers/scripted-openai-upstream.js';
import { startGatewayReplica, type GatewayReplica } from '../helpers/start-gateway-replica.js';
import { startProcess, startServices, stopProcess, type RunningProcess, type RunningServices } from '../helpers/start-services.js';
import { writeConfigFile } from '../helpers/write-config-file.js';

const ADMIN_KEY = 'live-admin-canary-3131';
const TEAM_KEY = 'live-team-key-canary-4242';
const ARTIFACTS = fileURLToPath(new URL('../.artifacts/admin-console/', import.meta.url));

/**
 * What the console shows of the running system, in real headless Chromium against two gateway replicas and
 * two llm-proxy processes sharing Redis: each replica by name with its own status, every endpoint's own
 * limits and open upstream connections, and each key's use against its limits counted across replicas.
 */
describe('admin console: live state of every replica (headless Chromium)', () => {
  let redis: TestRedis;
  let upstream: ScriptedOpenAIUpstream;
  let services: RunningServices;
  let secondProxy: RunningProcess;
  let secondProxyPort: number;
  let otherGateway: GatewayReplica;
  let chromium: HeadlessChromium;
  let page: Page;
  /** Upstream answers held open until released, so their streams and connections stay busy. */
  const held: Array<() => void> = [];
  let streams: Array<Promise<string>> = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    [redis, upstream, chromium] = await Promise.all([startTestRedis(), startScriptedOpenAIUpstream(['live-model']), startHeadlessChromium()]);
    upstream.reply = async (_request, response) => {
      await new Promise<void>((release) => held.push(release));
      await streamChunks(response, [
        deltaChunk({ role: 'assistant', content: 'held answer' }),
        deltaChunk({}, 'stop'),
        { choices: [], usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } },
      ]);
    };
    const env = {
      NACHOS_CONFIG: writeConfigFile(`
[[auth.keys]]
name = "team"
key_env = "TEAM_KEY"
rate_limit = { requests_per_minute = 50, tokens_per_minute = 90000, max_concurrent = 4 }

[endpoints.configured]
base_url = "${upstream.url}"
api_key = "sk-live-config"
models = ["live-model"]
rate_limit = { rpm = 120, tpm = 60000 }
`),
      TEAM_KEY,
      NACHOS_ADMIN_KEY: ADMIN_KEY,
      LLM_PROXY_ENDPOINT_FROMENV_URL: upstream.url,
      LLM_PROXY_ENDPOINT_FROMENV_MODELS: 'env-model',
      LLM_PROXY_ENDPOINT_FROMENV_RPM: '30',
      LLM_PROXY_LOCAL_DISCOVERY: '0',
      LLM_PROXY_REGISTRY_ALLOW_LOOPBACK: '1',
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: `live${Date.now()}:`,
    };
    services = await startServices(env);
    secondProxyPort = await freePort();
    secondProxy = startProcess('services/llm-proxy/dist/main.js', { ...env, LLM_PROXY_GRPC_PORT: String(secondProxyPort), LLM_PROXY_HTTP_PORT: String(await freePort()) });
    otherGateway = await startGatewayReplica(services, env);
    const added = await fetch(`${services.gatewayUrl}/admin/v1/registry`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'runtime', base_url: upstream.url, models: ['runtime-model'], rate_limit: { tpm: 5000 } }),
    });
    expect(added.status).toBe(201);
    page = await chromium.context.newPage();
    page.setDefaultTimeout(10_000);
  }, 60_000);

  afterAll(async () => {
    for (const release of held.splice(0)) release();
    await Promise.allSettled(streams);
    if (secondProxy?.child.pid) process.kill(secondProxy.child.pid, 'SIGCONT');
    await chromium?.close();
    await otherGateway?.stop();
    if (secondProxy) await stopProcess(secondProxy.child);
    await services?.stop();
    await upstream?.close();
    await redis?.stop();
  });

  const signIn = async (gatewayUrl: string) => {
    await page.goto(`${gatewayUrl}/admin/`);
    await page.getByLabel('Admin key').fill(ADMIN_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('main[data-page="overview"]').waitFor();
  };
  const visit = async (gatewayUrl: string, path: string) => {
    await page.goto(`${gatewayUrl}/admin/#/${path}`);
    await page.locator(`main[data-page="${path}"]`).waitFor();
  };
  /** Reloads the page until `shown` holds (the page refreshes itself only every 10 s). */
  const reloadUntil = async (shown: () => Promise<boolean>) => {
    for (;;) {
      await page.reload();
      await page.locator('.tiles li[data-replica]').first().waitFor();
      if (await shown()) return;
      await page.waitForTimeout(250);
    }
  };
  const portOf = (url: string) => new URL(url).port;
  const replica = (port: string | number, pid: number | undefined) => page.locator(`li[data-replica="${hostname()}:${port} (pid ${pid})"]`);
  const chat = () =>
    (async () => {
      const client = new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: TEAM_KEY, maxRetries: 0 });
      let text = '';
      for await (const chunk of await client.chat.completions.create({ model: 'live-model', stream: true, messages: [{ role: 'user', content: 'hold on' }] })) {
        text += chunk.choices[0]?.delta.content ?? '';
      }
      return text;
    })();

  it('lists each gateway and each llm-proxy replica by name with its own status, on any gateway', async () => {
    await signIn(otherGateway.url);
    const proxies = [replica(services.grpcPort, services.llmProxy.child.pid), replica(secondProxyPort, secondProxy.child.pid)];
    const gateways = [replica(portOf(services.gatewayUrl), services.gateway.child.pid), replica(portOf(otherGateway.url), otherGateway.process.child.pid)];
    for (const row of [...proxies, ...gateways]) {
      await row.waitFor();
      expect(await row.locator('.tag').textContent()).toBe('serving');
    }
    expect(await page.locator('.tile', { hasText: 'llm-proxy replicas' }).locator('li[data-replica]').count()).toBe(2);
    expect(await page.locator('.tile', { hasText: 'Redis' }).textContent()).toContain('ok');
    await saveScreenshots(page, `${ARTIFACTS}live-overview`);

    // A frozen llm-proxy misses its beats: it alone turns silent, the other still serves.
    process.kill(secondProxy.child.pid as number, 'SIGSTOP');
    try {
      await page.waitForFunction(
        (name) => document.querySelector(`li[data-replica="${name}"] .tag`)?.textContent === 'silent',
        `${hostname()}:${secondProxyPort} (pid ${secondProxy.child.pid})`,
        { timeout: 40_000, polling: 500 },
      );
      expect(await proxies[0]?.locator('.tag').textContent()).toBe('serving');
      await saveScreenshots(page, `${ARTIFACTS}live-overview-silent`);
    } finally {
      process.kill(secondProxy.child.pid as number, 'SIGCONT');
    }
    await proxies[1]?.getByText('serving').waitFor({ timeout: 20_000 });
  }, 90_000);

  it("shows every endpoint's own limits, whatever its source, and llm-proxy's open connections to it", async () => {
    await visit(otherGateway.url, 'endpoints');
    const row = (id: string) => page.locator(`tr[data-endpoint="${id}"]`);
    await row('configured').waitFor();
    expect(await row('configured').locator('td[data-label="Limits"]').textContent()).toBe('120 rpm, 60,000 tpm');
    expect(await row('fromenv').locator('td[data-label="Limits"]').textContent()).toBe('30 rpm');
    expect(await row('runtime').locator('td[data-label="Limits"]').textContent()).toBe('5,000 tpm');
    expect(await row('configured').locator('td[data-label="Connections"]').textContent()).toBe('0 open, 0 busy');

    streams = [chat(), chat()];
    await waitUntil(() => held.length === 2);
    await page.reload();
    await row('configured').locator('td[data-label="Connections"]').getByText('2 open, 2 busy').waitFor();
    // One pool per origin: the environment's endpoint shares the configured one's; the run-time one has its own.
    expect(await row('fromenv').locator('td[data-label="Connections"]').textContent()).toBe('2 open, 2 busy');
    expect(await row('runtime').locator('td[data-label="Connections"]').textContent()).toBe('0 open, 0 busy');
    await saveScreenshots(page, `${ARTIFACTS}live-endpoints`);
  });

  it("shows each key's open streams and this minute's use against its limits, counted on another replica", async () => {
    // Both streams were admitted by the first gateway; this page is served by the other one.
    await visit(otherGateway.url, 'keys');
    const key = page.locator('tr[data-key="team"]');
    await key.waitFor();
    expect(await key.locator('td[data-label="Open requests"]').textContent()).toMatch(/^2 \/ 4/);
    expect(await key.locator('td[data-label="Requests this minute"]').textContent()).toMatch(/^2 \/ 50/);
    expect(await key.locator('td[data-label="Tokens this minute"]').textContent()).toMatch(/^[1-9][\d,]* \/ 90,000/);
    await saveScreenshots(page, `${ARTIFACTS}live-keys`);
  });

  it('shows a gateway draining while its streams finish, then no longer lists it', async () => {
    const draining = replica(portOf(services.gatewayUrl), services.gateway.child.pid);
    await visit(otherGateway.url, 'overview');
    await draining.waitFor();
    services.gateway.child.kill('SIGTERM');
    await reloadUntil(async () => (await draining.locator('.tag').textContent()) === 'draining');
    expect(await replica(portOf(otherGateway.url), otherGateway.process.child.pid).locator('.tag').textContent()).toBe('serving');
    await saveScreenshots(page, `${ARTIFACTS}live-overview-draining`);

    for (const release of held.splice(0)) release();
    expect(await Promise.all(streams)).toEqual(['held answer', 'held answer']);
    await reloadUntil(async () => (await draining.count()) === 0);
    expect(await page.locator('.tile', { hasText: 'Gateway replicas' }).locator('li[data-replica]').count()).toBe(1);

    await visit(otherGateway.url, 'keys');
    await page.locator('tr[data-key="team"] td[data-label="Open requests"]').getByText(/^0 \/ 4/).waitFor();
    expect(await page.locator('main').textContent()).not.toContain(TEAM_KEY);
    // The connections stay open for the next calls (until idle too long), and none is busy.
    await visit(otherGateway.url, 'endpoints');
    await page.locator('tr[data-endpoint="configured"] td[data-label="Connections"]').getByText(/^[0-2] open, 0 busy$/).waitFor();
  });
});

async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}
