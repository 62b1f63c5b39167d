import OpenAI from 'openai';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from '../helpers/fake-openai-upstream.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';
import { writeSeedFile } from '../helpers/write-seed-file.js';

/**
 * Seed 002 (LLMProxy's endpoint reference): an `endpoints:` YAML block with a rate limit, endpoints from
 * the environment with dashed ids beside a shorter one, and names that pick one endpoint and no other.
 */
describe('seed 002: endpoints from config.yaml and the environment', () => {
  let infercom: FakeOpenAIUpstream;
  let lab: FakeOpenAIUpstream;
  let labB: FakeOpenAIUpstream;
  let services: RunningServices;

  beforeAll(async () => {
    infercom = await startFakeOpenAIUpstream({ models: ['MiniMax-M2.5'] });
    lab = await startFakeOpenAIUpstream({ models: ['qwen3'] });
    labB = await startFakeOpenAIUpstream({ models: ['qwen3'] });
    const yaml = `endpoints:
  infercom:
    provider: "openai-compatible"
    base_url: "${infercom.url}"
    api_key_env: "INFERCOM_API_KEY"
    models: ["MiniMax-M2.5", "DeepSeek-R1"]
    rate_limit: { rpm: 2 }
`;
    services = await startServices({
      NACHOS_CONFIG: writeSeedFile('config.yaml', yaml),
      INFERCOM_API_KEY: 'sk-infercom-seed002',
      LLM_PROXY_ENDPOINT_LAB_URL: lab.url,
      LLM_PROXY_ENDPOINT_LAB_B_URL: labB.url,
      LLM_PROXY_ENDPOINT_LAB_B_MODELS: 'qwen3,llama-3.3-70b',
      LLM_PROXY_LOCAL_DISCOVERY: '0',
    });
  });

  afterAll(async () => {
    await services?.stop();
    await Promise.all([infercom?.close(), lab?.close(), labB?.close()]);
  });

  const chat = (model: string) =>
    fetch(`${services.gatewayUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Hi' }] }),
    });
  const posts = (upstream: FakeOpenAIUpstream) => upstream.requests.filter((request) => request.method === 'POST').length;

  it('sends <endpoint>/<model> to that endpoint only, matching a dashed id whole', async () => {
    expect((await chat('lab-b/qwen3')).headers.get('x-nachos-endpoint')).toBe('lab-b');
    expect((await chat('lab/qwen3')).headers.get('x-nachos-endpoint')).toBe('lab');
    expect([posts(lab), posts(labB)]).toEqual([1, 1]);
  });

  it('answers 404 for a model the named endpoint does not serve, reaching no other', async () => {
    const before = posts(lab) + posts(labB) + posts(infercom);
    const response = await chat('lab-b/mistral-large');
    expect(response.status).toBe(404);
    expect(posts(lab) + posts(labB) + posts(infercom)).toBe(before);
  });

  it('answers 429 with Retry-After once the endpoint has used up its own rate limit, with no upstream call', async () => {
    const client = new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: 'unused', maxRetries: 0 });
    await client.chat.completions.create({ model: 'infercom/DeepSeek-R1', messages: [{ role: 'user', content: 'Hi' }] });
    // rpm = 2 per clock minute: within five quick requests the limit is met, even across the top of a minute.
    let refused: Response | undefined;
    let sent = 0;
    for (let attempt = 0; attempt < 5 && refused === undefined; attempt += 1) {
      sent = posts(infercom);
      const response = await chat('MiniMax-M2.5');
      if (response.status === 429) refused = response;
      else await response.arrayBuffer();
    }
    expect(refused?.status).toBe(429);
    expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(refused?.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(await refused?.json()).toMatchObject({ error: { type: expect.any(String) } });
    expect(posts(infercom)).toBe(sent);
  });
});
