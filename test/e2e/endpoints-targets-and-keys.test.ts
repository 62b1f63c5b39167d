import OpenAI from 'openai';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from '../helpers/fake-openai-upstream.js';
import { logEntries } from '../helpers/log-entries.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';
import { writeConfigFile } from '../helpers/write-config-file.js';

const ADMIN_KEY = 'admin-targets-canary-7171';

/**
 * B5 for endpoints added at run time, and P3 for configured ones: an admin cannot aim an endpoint at this
 * machine (llm-proxy's own internal port included, whose metrics a gateway key could then read through
 * pass-through) unless the operator allows it; a configured key variable that is unset is said at start.
 */
describe('run-time endpoint targets and configured key variables', () => {
  let upstream: FakeOpenAIUpstream;
  let services: RunningServices;

  beforeAll(async () => {
    upstream = await startFakeOpenAIUpstream({ models: ['lab-model', 'open-model'] });
    services = await startServices({
      NACHOS_ADMIN_KEY: ADMIN_KEY,
      LLM_PROXY_LOCAL_DISCOVERY: '0',
      NACHOS_CONFIG: writeConfigFile(`
[endpoints.lab]
provider = "openai-compatible"
base_url = "${upstream.url}"
api_key_env = "LAB_KEY_NOT_SET"
models = ["lab-model"]

[endpoints.open]
provider = "openai-compatible"
base_url = "${upstream.url}"
api_key_env = "OPEN_KEY_NOT_SET"
auth_type = "none"
models = ["open-model"]
`),
    });
  });

  afterAll(async () => {
    await services?.stop();
    await upstream?.close();
  });

  const add = (baseUrl: string, id = 'attempt') =>
    fetch(`${services.gatewayUrl}/admin/v1/registry`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id, provider: 'openai-compatible', base_url: baseUrl, models: ['added-model'] }),
    });

  it('refuses run-time endpoints on loopback or llm-proxy’s own ports, by default', async () => {
    const internalPort = new URL(services.llmProxyHttpUrl).port;
    const upstreamPort = new URL(upstream.url).port;
    const refusals: Array<[string, RegExp]> = [
      [`http://127.0.0.1:${upstreamPort}/v1`, /this machine .*allow_loopback/],
      [`http://localhost:${upstreamPort}/v1`, /this machine/],
      [`http://127.9.9.9:${upstreamPort}/v1`, /this machine/],
      [`http://[::1]:${upstreamPort}/v1`, /this machine/],
      [`http://[::ffff:127.0.0.1]:${upstreamPort}/v1`, /this machine/],
      [`http://localhost:${internalPort}`, /llm-proxy's own ports/],
      [`http://192.0.2.10:${services.grpcPort}`, /llm-proxy's own ports/],
    ];
    for (const [url, reason] of refusals) {
      const response = await add(url);
      const body = (await response.json()) as { error: { message: string } };
      expect({ url, status: response.status }).toEqual({ url, status: 400 });
      expect(body.error.message).toMatch(reason);
    }
    const passthrough = await fetch(`${services.gatewayUrl}/passthrough/attempt/metrics`);
    expect(passthrough.status).toBe(404);
    expect(await passthrough.text()).not.toContain('nachos_llm_proxy_');
  });

  it('warns at start, naming the variable, when api_key_env names one that is not set; auth_type = "none" is silent', async () => {
    const warnings = logEntries(services.llmProxy.output()).filter((entry) => entry.level === 'warn' && /api_key_env/.test(String(entry.message)));
    expect(warnings).toEqual([
      expect.objectContaining({
        message: 'endpoints.lab: api_key_env names LAB_KEY_NOT_SET, which is not set (nor LAB_KEY_NOT_SET_FILE): its requests go without a key; say auth_type = "none" if that is meant',
      }),
    ]);
    expect(services.logs()).not.toContain('OPEN_KEY_NOT_SET');
    const client = new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: 'unused', maxRetries: 0 });
    await client.chat.completions.create({ model: 'open-model', messages: [{ role: 'user', content: 'hi' }] });
    const call = upstream.requests.filter((request) => request.path === '/v1/chat/completions').at(-1);
    expect(call?.headers.authorization).toBeUndefined();
  });
});
