import { respondWithJson, startFakeUpstream, type FakeUpstream } from '@nachos/plugin-sdk/testing';
import OpenAI from 'openai';
import { startFakeGeminiUpstream } from '../helpers/fake-gemini-upstream.js';
import type { FakeProviderUpstream } from '../helpers/recorded-answers.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';
import { writeConfigFile } from '../helpers/write-config-file.js';

const GOOGLE_KEY = 'AIza-url-safety-canary-41d7c2';
const REDIRECTED_KEY = 'sk-redirect-canary-9f3b61';

/**
 * Where llm-proxy sends a prompt and a key is decided by the endpoint's base URL alone: a model id
 * cannot move the request elsewhere on the provider's host, and a redirect is never followed to a
 * host the operator did not name.
 */
describe('upstream URLs', () => {
  let gemini: FakeProviderUpstream;
  let redirecting: FakeUpstream;
  let denied: FakeUpstream;
  let services: RunningServices;
  let client: OpenAI;

  beforeAll(async () => {
    gemini = await startFakeGeminiUpstream([]);
    denied = await startFakeUpstream((_request, response) => respondWithJson(response, 200, { reached: true }));
    const deniedPort = new URL(denied.url).port;
    redirecting = await startFakeUpstream((request, response) => {
      response.writeHead(request.method === 'POST' ? 307 : 302, { location: `http://localhost:${deniedPort}${request.url}` });
      response.end();
    });
    const config = writeConfigFile(`
[registry]
denied_hosts = ["localhost"]

[endpoints.google]
provider = "google"
base_url = "${gemini.url}"
api_key_env = "SAFETY_GOOGLE_KEY"

[endpoints.hop]
provider = "openai"
base_url = "${redirecting.url}/v1"
api_key_env = "SAFETY_REDIRECTED_KEY"
models = ["hop-model"]
`);
    services = await startServices({
      NACHOS_CONFIG: config,
      SAFETY_GOOGLE_KEY: GOOGLE_KEY,
      SAFETY_REDIRECTED_KEY: REDIRECTED_KEY,
      LLM_PROXY_LOCAL_DISCOVERY: '0',
    });
    client = new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: 'unused', maxRetries: 0 });
  });

  afterAll(async () => {
    await services?.stop();
    await Promise.all([gemini?.close(), redirecting?.close(), denied?.close()]);
  });

  /** llm-proxy lists the provider's models at start; only POSTs carry prompts. */
  const chatCalls = (upstream: FakeUpstream) => upstream.requests.filter((request) => request.method === 'POST');
  const failureOf = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected the request to fail');
      },
      (error: unknown) => error as InstanceType<typeof OpenAI.APIError>,
    );

  it('refuses a model id with dot segments as a bad request, without calling the provider', async () => {
    for (const stream of [false, true]) {
      const failure = await failureOf(
        (async () => {
          const answer = await client.chat.completions.create({ model: 'google/../../__log', messages: [{ role: 'user', content: 'hi' }], stream });
          if (stream) for await (const _chunk of answer as AsyncIterable<unknown>) void _chunk;
        })(),
      );
      expect(failure).toBeInstanceOf(OpenAI.APIError);
      expect(failure.status).toBe(400);
    }
    expect(chatCalls(gemini)).toHaveLength(0);
  });

  it('keeps percent-encoded dots inside one model segment under the API root, key and all', async () => {
    const failure = await failureOf(
      client.chat.completions.create({ model: 'google/%2e%2e/%2e%2e/__log', messages: [{ role: 'user', content: 'hi' }], stream: true }),
    );
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect(failure.status).toBe(404);
    const paths = chatCalls(gemini).map((request) => request.url);
    expect(paths).toEqual(['/v1beta/%252e%252e/%252e%252e/__log:streamGenerateContent?alt=sse']);
    expect(gemini.requests.every((request) => request.url.startsWith('/v1beta/') && request.headers['x-goog-api-key'] === GOOGLE_KEY)).toBe(true);
    expect(services.logs()).not.toContain(GOOGLE_KEY);
  });

  it('never follows an endpoint redirect: the client gets an error and the denied host gets nothing', async () => {
    for (const stream of [false, true]) {
      const failure = await failureOf(
        (async () => {
          const answer = await client.chat.completions.create({ model: 'hop-model', messages: [{ role: 'user', content: 'a secret prompt' }], stream });
          if (stream) for await (const _chunk of answer as AsyncIterable<unknown>) void _chunk;
        })(),
      );
      expect(failure).toBeInstanceOf(OpenAI.APIError);
      expect(failure.status).toBeGreaterThanOrEqual(500);
      expect(failure.message).toMatch(/redirect/);
    }
    expect(chatCalls(redirecting).length).toBeGreaterThan(0);
    expect(denied.requests).toHaveLength(0);
    expect(services.logs()).not.toContain(REDIRECTED_KEY);
  });
});
