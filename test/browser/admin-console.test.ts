/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import type { Page } from 'playwright-core';
import { saveScreenshots, startHeadlessChromium, type HeadlessChromium } from '../helpers/headless-chromium.js';
import { startTestRedis, type TestRedis } from '../helpers/redis-for-tests.js';
import { deltaChunk, replyWithChunks, sendJson, startScriptedOpenAIUpstream, type ScriptedOpenAIUpstream } from '../helpers/scripted-openai-upstream.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';

const ADMIN_KEY = 'console-admin-canary-7777';
const GATEWAY_KEY = 'console-gateway-key-8888';
const GOOD_PROVIDER_KEY = 'sk-console-good-canary-1111';
const REJECTED_PROVIDER_KEY = 'sk-console-rejected-canary-2222';
const HOSTILE_NAME = '<img src=x onerror=alert(1)>';
const ARTIFACTS = fileURLToPath(new URL('../.artifacts/admin-console/', import.meta.url));
const PAGES = ['overview', 'endpoints', 'models', 'cooldowns', 'usage', 'keys'] as const;

/**
 * The admin console in real headless Chromium against real services (llm-proxy and the gateway as
 * processes, Redis, an OpenAI-compatible fake upstream), as an operator uses it: sign in, add an
 * endpoint and see its models, see a rejected key cool down and clear it, watch usage move.
 */
describe('admin console (headless Chromium)', () => {
  let redis: TestRedis;
  let upstream: ScriptedOpenAIUpstream;
  let services: RunningServices;
  let chromium: HeadlessChromium;
  let page: Page;
  const dialogs: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    [redis, upstream, chromium] = await Promise.all([startTestRedis(), startScriptedOpenAIUpstream(['console-model', 'rejected-model']), startHeadlessChromium()]);
    upstream.reply = (request, response) => {
      if (request.headers.authorization === `Bearer ${REJECTED_PROVIDER_KEY}`) {
        return sendJson(response, 401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } });
      }
      return replyWithChunks([
        deltaChunk({ role: 'assistant', content: 'Hello from the console upstream' }),
        deltaChunk({}, 'stop'),
        { choices: [], usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 } },
      ])(request, response);
    };
    services = await startServices({
      NACHOS_ADMIN_KEY: ADMIN_KEY,
      NACHOS_API_KEYS: GATEWAY_KEY,
      LLM_PROXY_LOCAL_DISCOVERY: '0',
      // The fake upstream listens on loopback, which run-time endpoints may reach only when allowed.
      LLM_PROXY_REGISTRY_ALLOW_LOOPBACK: '1',
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: `console${Date.now()}:`,
    });
    page = await chromium.context.newPage();
    // A step that has not happened by then fails with what it waited for, inside the test's own time.
    page.setDefaultTimeout(10_000);
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.accept();
    });
    page.on('response', (response) => {
      if (response.status() >= 400) consoleErrors.push(`${response.status()} ${response.url()}`);
    });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
  }, 60_000);

  afterAll(async () => {
    await chromium?.close();
    await services?.stop();
    await upstream?.close();
    await redis?.stop();
  });

  const openai = () => new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: GATEWAY_KEY, maxRetries: 0 });
  const visit = async (path: (typeof PAGES)[number]) => {
    await page.goto(`${services.gatewayUrl}/admin/#/${path}`);
    await page.locator(`main[data-page="${path}"]`).waitFor();
  };
  const screenshots = (name: string) => saveScreenshots(page, `${ARTIFACTS}${name}`);

  it('refuses a wrong admin key and signs in with the right one, keeping it out of every URL', async () => {
    await page.goto(`${services.gatewayUrl}/admin`);
    expect(new URL(page.url()).pathname).toBe('/admin/');
    await page.getByLabel('Admin key').fill('not-the-admin-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('Refused');
    expect(await page.locator('nav').count()).toBe(0);
    await screenshots('sign-in-refused');

    await page.getByLabel('Admin key').fill(ADMIN_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('main[data-page="overview"]').waitFor();
    await page.locator('.tiles').getByText('serving as this gateway reaches it over gRPC').waitFor();
    expect(await page.locator('.tiles').textContent()).toContain('ok');
    expect(page.url()).not.toContain(ADMIN_KEY);
    expect(await page.evaluate(() => sessionStorage.getItem('nachos-admin-key'))).toBe(ADMIN_KEY);
  });

  it('adds an endpoint served by a fake upstream, shows the registry refusal inline, and lists its models', async () => {
    await visit('endpoints');
    const form = page.locator('#endpoint-form');
    await form.getByLabel('Id', { exact: true }).fill('console-metadata');
    await form.getByLabel('Base URL').fill('http://169.254.169.254/v1');
    await form.getByRole('button', { name: 'Save endpoint' }).click();
    await form.getByRole('alert').waitFor();
    expect(await form.getByRole('alert').textContent()).toMatch(/169\.254\.169\.254|metadata|link-local|not allowed/i);

    await form.getByRole('button', { name: 'Clear' }).click();
    await form.getByLabel('Id', { exact: true }).fill('console-upstream');
    await form.getByLabel('Base URL').fill(upstream.url);
    await form.getByLabel('API key').fill(GOOD_PROVIDER_KEY);
    await form.getByLabel('Models').fill(`console-model, ${HOSTILE_NAME}`);
    await form.getByRole('button', { name: 'Save endpoint' }).click();
    await form.getByText('Saved "console-upstream"').waitFor();
    const row = page.locator('tr[data-endpoint="console-upstream"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('admin');
    expect(await page.locator('main').textContent()).not.toContain(GOOD_PROVIDER_KEY);

    await visit('models');
    const model = page.locator('tr[data-model="console-model"]');
    await model.waitFor();
    expect(await model.textContent()).toContain('console-upstream');
    await page.getByLabel('Model name').fill('console-upstream/console-model');
    await page.getByRole('button', { name: 'Resolve' }).click();
    await page.locator('.resolution ol').waitFor();
    expect(await page.locator('.resolution').textContent()).toContain('console-upstream');
  });

  it('renders a hostile model name as text, never as HTML', async () => {
    await visit('endpoints');
    const row = page.locator('tr[data-endpoint="console-upstream"]');
    await row.waitFor();
    expect(await row.textContent()).toContain(HOSTILE_NAME);
    await visit('models');
    await page.locator(`tr[data-model="${HOSTILE_NAME}"]`).waitFor();
    expect(await page.locator(`tr[data-model="${HOSTILE_NAME}"] code.name`).textContent()).toBe(HOSTILE_NAME);
    expect(await page.locator('img').count()).toBe(0);
    expect(dialogs).toEqual([]);
  });

  it('shows a cooldown with its reason after the upstream rejects a key, and clears it by hand', async () => {
    const added = await fetch(`${services.gatewayUrl}/admin/v1/registry`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'console-rejecting', base_url: upstream.url, api_key: REJECTED_PROVIDER_KEY, models: ['rejected-model'] }),
    });
    expect(added.status).toBe(201);
    await visit('cooldowns');
    await page.getByText('No key is cooling down').waitFor();
    await expect(openai().chat.completions.create({ model: 'rejected-model', messages: [{ role: 'user', content: 'hi' }] })).rejects.toThrow();
    const row = page.locator('tr[data-cooldown^="console-rejecting/"]');
    await row.waitFor({ timeout: 10_000 });
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('console-rejecting');
    expect(text).toMatch(/401|reject|auth/i);
    expect(text).not.toContain(REJECTED_PROVIDER_KEY);
    await screenshots('cooldowns');
    await visit('endpoints');
    await page.locator('tr[data-endpoint="console-rejecting"]').getByText('cooling down').waitFor();

    await visit('cooldowns');
    await row.getByRole('button', { name: 'Clear' }).click();
    await page.getByText('is back in rotation').waitFor();
    await page.getByText('No key is cooling down').waitFor();
    const listed = (await (await fetch(`${services.gatewayUrl}/admin/v1/cooldowns`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })).json()) as { cooldowns: unknown[] };
    expect(listed.cooldowns).toEqual([]);
  });

  it('moves the usage charts and tables after requests', async () => {
    await visit('usage');
    await page.getByRole('button', { name: 'Last hour' }).click();
    const chart = page.locator('[data-chart="usage-requests"]');
    await chart.waitFor();
    await page.waitForFunction(() => document.querySelector('[data-chart="usage-requests"]')?.hasAttribute('data-sum'));
    const before = Number(await chart.getAttribute('data-sum'));
    for (let request = 0; request < 3; request += 1) {
      const answer = await openai().chat.completions.create({ model: 'console-model', messages: [{ role: 'user', content: 'hi' }] });
      expect(answer.choices[0]?.message.content).toBe('Hello from the console upstream');
    }
    await page.getByRole('button', { name: 'Last hour' }).click();
    await page.waitForFunction((previous) => Number(document.querySelector('[data-chart="usage-requests"]')?.getAttribute('data-sum')) >= previous + 3, before);
    const keyRow = page.locator('tr[data-group]').first();
    expect(await keyRow.textContent()).toContain('api-key-1');
    await page.getByLabel('Group by').selectOption('endpoint');
    await page.locator('tr[data-group="console-upstream"]').waitFor();

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const csv = await (await download).createReadStream();
    let content = '';
    for await (const chunk of csv) content += String(chunk);
    expect(content.split('\r\n')[0]).toBe('dimension,name,requests,failures,input_tokens,output_tokens,total_tokens,from,to');
    expect(content).toMatch(/endpoint,console-upstream,[3-9]/);

    await visit('overview');
    await page.waitForFunction(() => Number(document.querySelector('[data-chart="requests"]')?.getAttribute('data-sum')) > 0);
    await visit('keys');
    const key = page.locator('tr[data-key="api-key-1"]');
    await key.waitFor();
    expect(await key.textContent()).toMatch(/[3-9] req/);
    expect(await page.locator('main').textContent()).not.toContain(GATEWAY_KEY);
  });

  it('serves the console under a Content-Security-Policy that blocks inline script', async () => {
    const response = await fetch(`${services.gatewayUrl}/admin/`);
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toContain('unsafe-inline');
    const asset = /assets\/console-[A-Z0-9]+\.js/.exec(await response.text())?.[0];
    expect(asset).toBeDefined();
    expect((await fetch(`${services.gatewayUrl}/admin/${asset}`)).headers.get('cache-control')).toContain('immutable');

    await visit('overview');
    const blocked = await page.evaluate(async () => {
      const violation = new Promise<string>((resolve) => document.addEventListener('securitypolicyviolation', (event) => resolve(event.violatedDirective), { once: true }));
      const script = document.createElement('script');
      script.textContent = 'window.inlineScriptRan = true;';
      document.body.appendChild(script);
      return { directive: await violation, ran: (window as unknown as { inlineScriptRan?: boolean }).inlineScriptRan === true };
    });
    expect(blocked.ran).toBe(false);
    expect(blocked.directive).toMatch(/^script-src/);
  });

  it('saves a screenshot of every page at desktop and phone width, light and dark', async () => {
    consoleErrors.length = 0;
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const name of PAGES) {
        await visit(name);
        await page.waitForTimeout(400);
        await screenshots(`${name}-${scheme}`);
      }
    }
    await page.emulateMedia({ colorScheme: 'light' });
    // Nothing the pages do failed in the browser: no refused request, no CSP refusal of the console's own code.
    expect(consoleErrors).toEqual([]);
  });
});
