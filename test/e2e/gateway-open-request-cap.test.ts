import Anthropic from '@anthropic-ai/sdk';
import { Ollama } from 'ollama';
import OpenAI from 'openai';
import { deltaChunk, replyWithChunks, startScriptedOpenAIUpstream, type ScriptedOpenAIUpstream } from '../helpers/scripted-openai-upstream.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';

const CAP = 2;
const ANSWER = [deltaChunk({ role: 'assistant', content: 'Hi' }), deltaChunk({}, 'stop')];

/**
 * `gateway.max_open_requests`: with CAP requests open, the next one in any protocol is a 503 with
 * Retry-After in that protocol's error shape, costing no upstream call; below the cap, and again once
 * the open requests end, requests are served as usual.
 */
describe('the cap on open requests', () => {
  let upstream: ScriptedOpenAIUpstream;
  let services: RunningServices;
  let openai: OpenAI;
  let anthropic: Anthropic;
  let ollama: Ollama;
  /** Streams the upstream holds open after their first chunk until released. */
  const held: Array<() => void> = [];

  beforeAll(async () => {
    upstream = await startScriptedOpenAIUpstream(['fake-model']);
    const answer = replyWithChunks(ANSWER);
    upstream.reply = async (request, response) => {
      if (!JSON.stringify(request.body).includes('"hold"')) return answer(request, response);
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'fake-model', ...ANSWER[0] })}\n\n`);
      await new Promise<void>((resolve) => held.push(resolve));
      response.end(`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'fake-model', ...ANSWER[1] })}\n\ndata: [DONE]\n\n`);
    };
    services = await startServices({
      GATEWAY_MAX_OPEN_REQUESTS: String(CAP),
      LLM_PROXY_LOCAL_DISCOVERY: '0',
      LLM_PROXY_ENDPOINT_X_URL: upstream.url,
      LLM_PROXY_ENDPOINT_X_MODELS: 'fake-model',
    });
    openai = new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: 'unused', maxRetries: 0 });
    anthropic = new Anthropic({ baseURL: services.gatewayUrl, apiKey: 'unused', maxRetries: 0 });
    ollama = new Ollama({ host: services.gatewayUrl });
  });

  afterAll(async () => {
    for (const release of held.splice(0)) release();
    await services?.stop();
    await upstream?.close();
  });

  /** Opens a stream through the gateway and waits for its first token, so the request is surely open. */
  const openStream = async () => {
    const stream = await openai.chat.completions.create({ model: 'fake-model', stream: true, messages: [{ role: 'user', content: 'hold' }] });
    const iterator = stream[Symbol.asyncIterator]();
    let first = await iterator.next();
    while (!first.done && !first.value.choices[0]?.delta.content) first = await iterator.next();
    expect(first.value?.choices[0]?.delta.content).toBe('Hi');
    return async () => {
      const rest: string[] = [];
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) rest.push(next.value.choices[0]?.finish_reason ?? '');
      return rest;
    };
  };
  const ask = () => openai.chat.completions.create({ model: 'fake-model', messages: [{ role: 'user', content: 'hi' }] });
  const refusal = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

  it('serves requests below the cap as usual', async () => {
    const finish = await openStream();
    expect((await ask()).choices[0]?.message.content).toBe('Hi');
    held.shift()?.();
    expect(await finish()).toContain('stop');
  });

  it('answers 503 with Retry-After in each protocol above the cap, and calls no upstream', async () => {
    const finishes = [await openStream(), await openStream()];
    const upstreamCalls = upstream.requests.length;

    const openaiError = await refusal(ask());
    expect(openaiError).toBeInstanceOf(OpenAI.APIError);
    expect((openaiError as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
    expect((openaiError as InstanceType<typeof OpenAI.APIError>).headers.get('retry-after')).toBe('1');
    expect((openaiError as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({ type: 'server_error', code: 'server_busy' });

    const anthropicError = await refusal(anthropic.messages.create({ model: 'fake-model', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] }));
    expect(anthropicError).toBeInstanceOf(Anthropic.APIError);
    expect((anthropicError as InstanceType<typeof Anthropic.APIError>).status).toBe(503);
    expect((anthropicError as InstanceType<typeof Anthropic.APIError>).headers.get('retry-after')).toBe('1');
    expect((anthropicError as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });

    const ollamaError = await refusal(ollama.chat({ model: 'fake-model', messages: [{ role: 'user', content: 'hi' }] }));
    expect(ollamaError).toMatchObject({ status_code: 503 });
    expect((ollamaError as Error).message).toMatch(/as many requests as it is configured to/);
    const raw = await fetch(`${services.gatewayUrl}/api/chat`, { method: 'POST', body: JSON.stringify({ model: 'fake-model', messages: [] }) });
    expect(raw.status).toBe(503);
    expect(raw.headers.get('retry-after')).toBe('1');
    expect(Object.keys((await raw.json()) as object)).toEqual(['error']);

    expect((await fetch(`${services.gatewayUrl}/health`)).status).toBe(200);
    expect(upstream.requests.length).toBe(upstreamCalls);

    // The open streams are not disturbed, and once they end their slots are free again.
    for (const release of held.splice(0)) release();
    for (const finish of finishes) expect(await finish()).toContain('stop');
    expect((await ask()).choices[0]?.message.content).toBe('Hi');
    const reply = await anthropic.messages.create({ model: 'fake-model', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] });
    expect(reply.content).toEqual([{ type: 'text', text: 'Hi' }]);
    expect((await ollama.chat({ model: 'fake-model', messages: [{ role: 'user', content: 'hi' }] })).message.content).toBe('Hi');
  });
});
