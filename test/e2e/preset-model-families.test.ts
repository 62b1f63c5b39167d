import OpenAI from 'openai';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from '../helpers/fake-openai-upstream.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';

/** Hosts keyed by their preset's variables alone, each listing only some of its models, as a host's /models may lag. */
const HOSTS = ['mistral', 'deepseek', 'xai', 'perplexity', 'fireworks', 'groq'] as const;

/** Ids no catalogue or listing holds, each in its host's own family. */
const NEW_IDS: ReadonlyArray<[string, (typeof HOSTS)[number]]> = [
  ['mistral-medium-2508', 'mistral'],
  ['devstral-medium-2507', 'mistral'],
  ['deepseek-v4', 'deepseek'],
  ['grok-5', 'xai'],
  ['sonar-ultra', 'perplexity'],
  ['accounts/fireworks/models/qwen3-coder-480b-a35b-instruct', 'fireworks'],
];

describe('OpenAI-compatible preset hosts: a new model of a host\'s own family is forwarded to it', () => {
  const upstreams = new Map<string, FakeOpenAIUpstream>();
  let services: RunningServices;

  beforeAll(async () => {
    const env: NodeJS.ProcessEnv = { LLM_PROXY_LOCAL_DISCOVERY: '0' };
    for (const host of HOSTS) {
      const upstream = await startFakeOpenAIUpstream({ models: [`${host}-listed-model`] });
      upstreams.set(host, upstream);
      env[`${host.toUpperCase()}_API_KEY`] = `key-${host}-e2e`;
      env[`${host.toUpperCase()}_BASE_URL`] = upstream.url;
    }
    services = await startServices(env);
  });

  afterAll(async () => {
    await services?.stop();
    await Promise.all([...upstreams.values()].map((upstream) => upstream.close()));
  });

  const calls = () => [...upstreams.values()].reduce((sum, upstream) => sum + upstream.requests.filter((request) => request.method === 'POST').length, 0);

  it.each(NEW_IDS)('%s reaches %s as written', async (model, host) => {
    const client = new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: 'not-used', maxRetries: 0 });
    const { data, response } = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hello!' }] }).withResponse();
    expect(data.choices[0]?.message.content).toBe('Hello from the fake upstream.');
    expect(response.headers.get('x-nachos-provider')).toBe(host);
    const sent = upstreams.get(host)?.requests.filter((request) => request.method === 'POST').at(-1);
    expect(sent?.body).toMatchObject({ model });
    expect(sent?.headers.authorization).toBe(`Bearer key-${host}-e2e`);
  });

  it('keeps a name of no host\'s family a 404 with no upstream call, an aggregator\'s included', async () => {
    const before = calls();
    const client = new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: 'not-used', maxRetries: 0 });
    for (const model of ['llama-9-405b-versatile', 'mistral', 'accounts/other/models/x']) {
      const outcome = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hello!' }] }).then((answer) => answer.model, (error: { status?: number }) => error.status);
      expect({ model, outcome }).toEqual({ model, outcome: 404 });
    }
    expect(calls()).toBe(before);
  });
});
