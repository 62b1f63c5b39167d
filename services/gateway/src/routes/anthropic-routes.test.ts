import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import { createLogger } from '@nachos/common';
import { ProviderError, type ChatRequest, type StreamEvent } from '@nachos/plugin-sdk';
import type { ListedModel } from '@nachos/proto';
import { createApp } from '../create-app.js';
import type { LlmProxyClient } from '../llm-proxy/llm-proxy-client.js';

/** What the fake llm-proxy answers next, and every request it was asked. */
interface FakeProxy {
  script: (request: ChatRequest) => AsyncGenerator<StreamEvent>;
  requests: ChatRequest[];
}

const MODELS: ListedModel[] = [
  { id: 'claude-fake', provider: 'mock', endpoint: 'mock', upstreamId: 'claude-fake', capabilities: { tools: true }, created: 1_700_000_000, ownedBy: 'mock', source: 'env' },
  { id: 'other-model', provider: 'mock', endpoint: 'mock', upstreamId: 'other-model', capabilities: {}, created: 1_700_000_000, ownedBy: 'mock', source: 'env' },
];

async function* answer(text: string): AsyncGenerator<StreamEvent> {
  yield { type: 'start', id: 'up-1', model: 'claude-fake', provider: 'mock', endpoint: 'mock' };
  yield { type: 'text-delta', text };
  yield { type: 'finish', reason: 'stop' };
  yield { type: 'usage', usage: { inputTokens: 8, outputTokens: 3 } };
}

describe('Anthropic routes in the gateway app (official @anthropic-ai/sdk, fake llm-proxy)', () => {
  const proxy: FakeProxy = { script: () => answer('Hi there.'), requests: [] };
  let server: Server;
  let url: string;

  beforeAll(async () => {
    const client = {
      chat: (request: ChatRequest) => {
        proxy.requests.push(request);
        return proxy.script(request);
      },
      listModels: async () => MODELS,
      countTokens: async () => ({ provider: 'mock', endpoint: 'mock' }),
      isServing: async () => true,
    } as unknown as LlmProxyClient;
    const logger = createLogger({ service: 'gateway', env: {} });
    logger.silent = true;
    const app = createApp({ client, logger, bodyLimit: '1mb', isDraining: () => false });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  beforeEach(() => {
    proxy.script = () => answer('Hi there.');
  });

  const sdk = (baseURL = url) => new Anthropic({ baseURL, apiKey: 'sk-client', maxRetries: 0 });

  it('serves /v1/messages and its ?beta=true form, streaming and not, under both prefixes', async () => {
    const message = await sdk().messages.create({ model: 'claude-fake', max_tokens: 50, messages: [{ role: 'user', content: 'Hello' }] });
    expect(message).toMatchObject({ type: 'message', role: 'assistant', content: [{ type: 'text', text: 'Hi there.' }], stop_reason: 'end_turn' });
    expect(message.id).toMatch(/^msg_[0-9a-f]{32}$/);
    const beta = await sdk().beta.messages.stream({ model: 'claude-fake', max_tokens: 50, messages: [{ role: 'user', content: 'Hello' }] }).finalMessage();
    expect(beta.content).toMatchObject([{ type: 'text', text: 'Hi there.' }]);
    const prefixed = await sdk(`${url}/llm/anthropic`).messages.stream({ model: 'claude-fake', max_tokens: 50, messages: [{ role: 'user', content: 'Hello' }] }).finalMessage();
    expect(prefixed.usage).toMatchObject({ input_tokens: 8, output_tokens: 3 });
    expect(new Set([message.id, beta.id, prefixed.id]).size).toBe(3);
    expect(proxy.requests.at(-1)).toMatchObject({ model: 'claude-fake', stream: true, sampling: { maxTokens: 50 } });
  });

  it('accepts Authorization: Bearer and x-api-key alike', async () => {
    const bearer = new Anthropic({ baseURL: url, authToken: 'token', apiKey: null, maxRetries: 0 });
    await expect(bearer.messages.create({ model: 'claude-fake', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] })).resolves.toMatchObject({ type: 'message' });
  });

  it('answers bad input with a 400 in Anthropic shape, with the request id, and no llm-proxy call', async () => {
    const before = proxy.requests.length;
    const response = await fetch(`${url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-request-id': 'req-abc' },
      body: JSON.stringify({ model: 'claude-fake', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('request-id')).toBe('req-abc');
    expect(await response.json()).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: "'max_tokens' is required." },
      request_id: 'req-abc',
    });
    const malformed = await fetch(`${url}/v1/messages?beta=true`, { method: 'POST', body: '{"model":' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'The request body is not valid JSON.' },
      request_id: malformed.headers.get('request-id'),
    });
    const tooLarge = await fetch(`${url}/llm/anthropic/v1/messages`, { method: 'POST', body: JSON.stringify({ model: 'm', pad: 'x'.repeat(2_000_000) }) });
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.json()).toMatchObject({ type: 'error', error: { type: 'request_too_large' } });
    const failure = await sdk()
      .messages.create({ model: 'claude-fake', max_tokens: 5, messages: [] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Anthropic.BadRequestError);
    expect(proxy.requests.length).toBe(before);
  });

  it("turns llm-proxy's failures before the first byte into the SDK's error classes", async () => {
    proxy.script = async function* () {
      throw new ProviderError({ kind: 'not_found', message: "The model 'nope' does not exist." });
    };
    const missing = await sdk().messages.create({ model: 'nope', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(Anthropic.NotFoundError);
    expect((missing as InstanceType<typeof Anthropic.NotFoundError>).error).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });

    proxy.script = async function* () {
      throw new ProviderError({ kind: 'rate_limited', message: 'Slow down.', retryAfterMs: 2000 });
    };
    const limited = await sdk().messages.stream({ model: 'claude-fake', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }).finalMessage().catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(Anthropic.RateLimitError);
    expect((limited as InstanceType<typeof Anthropic.RateLimitError>).headers.get('retry-after')).toBe('2');
  });

  it('ends a stream that fails after the first byte with an error event the SDK raises', async () => {
    proxy.script = async function* () {
      yield { type: 'start', id: 'up', model: 'claude-fake' };
      yield { type: 'text-delta', text: 'Half an ans' };
      throw new ProviderError({ kind: 'unavailable', message: 'The upstream went away.' });
    };
    const failure = await sdk()
      .messages.stream({ model: 'claude-fake', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] })
      .finalMessage()
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Anthropic.APIError);
    expect((failure as InstanceType<typeof Anthropic.APIError>).error).toEqual({
      type: 'error',
      error: { type: 'overloaded_error', message: 'The upstream went away.' },
    });
  });

  it('counts tokens from the request text when the provider cannot count, and says so', async () => {
    const { data: counted, response } = await sdk()
      .messages.countTokens({ model: 'claude-fake', system: 'x'.repeat(40), messages: [{ role: 'user', content: 'y'.repeat(40) }] })
      .withResponse();
    expect(counted).toEqual({ input_tokens: 20 });
    expect(response.headers.get('x-nachos-token-count-source')).toBe('estimate');
  });

  it("answers /v1/models in Anthropic's shape only for requests carrying anthropic-version", async () => {
    const listed = [];
    for await (const model of sdk().models.list()) listed.push(model);
    expect(listed).toEqual(MODELS.map((model) => ({ type: 'model', id: model.id, display_name: model.id, created_at: '2023-11-14T22:13:20.000Z' })));
    const openai = await (await fetch(`${url}/v1/models`)).json();
    expect(openai).toMatchObject({ object: 'list', data: [{ id: 'claude-fake', object: 'model' }, { id: 'other-model' }] });
    const prefixed = await (await fetch(`${url}/llm/anthropic/v1/models`)).json();
    expect(prefixed).toMatchObject({ data: [{ type: 'model', id: 'claude-fake' }, { type: 'model', id: 'other-model' }], has_more: false });
    expect(await sdk().models.retrieve('other-model')).toMatchObject({ type: 'model', id: 'other-model' });
    await expect(sdk().models.retrieve('nope')).rejects.toBeInstanceOf(Anthropic.NotFoundError);
  });

  it('leaves the OpenAI routes under /v1 to OpenAI, and answers unknown paths under the Anthropic prefix in its shape', async () => {
    const openaiError = await fetch(`${url}/v1/chat/completions`, { method: 'POST', body: '{}' });
    expect(await openaiError.json()).toMatchObject({ error: { type: 'invalid_request_error', param: 'model' } });
    const unknown = await fetch(`${url}/llm/anthropic/v1/nothing-here`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      type: 'error',
      error: { type: 'not_found_error', message: 'No route for GET /llm/anthropic/v1/nothing-here.' },
      request_id: unknown.headers.get('request-id'),
    });
  });
});
