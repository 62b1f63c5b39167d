import { readFileSync } from 'node:fs';
import { type ChatRequest, isProviderPlugin, type PluginLogger, Secret } from '@nachos/plugin-sdk';
import { assertEventGrammar, collectEvents, type FakeUpstream, joinText, respondWithStream, startFakeUpstream } from '@nachos/plugin-sdk/testing';
import openaiPlugin from './index.js';

const fixtures = new URL('../../../test/fixtures/protocols/', import.meta.url);
const silentLogger: PluginLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describe('openai plugin', () => {
  let upstream: FakeUpstream | undefined;
  afterEach(async () => {
    await upstream?.close();
    upstream = undefined;
  });

  it('declares the OpenAI provider with its catalogue from models.json', () => {
    expect(isProviderPlugin(openaiPlugin)).toBe(true);
    expect(openaiPlugin).toMatchObject({
      id: 'openai',
      defaultBaseUrl: 'https://api.openai.com/v1',
      apiKeyEnv: 'OPENAI_API_KEY',
      requiresApiKey: true,
    });
    expect(openaiPlugin.catalogue.map((model) => model.id)).toEqual([
      'gpt-5',
      'gpt-5-mini',
      'gpt-5-nano',
      'gpt-4.1',
      'gpt-4o',
      'gpt-4o-mini',
      'gpt-4-turbo',
      'gpt-4',
      'gpt-3.5-turbo',
      'o3',
      'o3-mini',
      'o4-mini',
      'o1',
      'o1-pro',
      'o1-mini',
      'text-embedding-3-small',
      'text-embedding-3-large',
    ]);
    expect(openaiPlugin.catalogue.find((model) => model.id === 'gpt-4o')).toEqual({
      id: 'gpt-4o',
      aliases: ['gpt4o', '4o'],
      contextLength: 128_000,
      maxOutputTokens: 16_384,
      capabilities: { tools: true, vision: true },
      ownedBy: 'openai',
    });
    expect(openaiPlugin.catalogue.find((model) => model.id === 'text-embedding-3-small')?.capabilities).toEqual({ embeddings: true });
    expect(Object.keys(openaiPlugin.configSchema)).toEqual(['timeout_ms', 'stream_usage', 'choices', 'organization', 'project']);
  });

  it('sends a reasoning-model request the way OpenAI accepts it, and streams the answer', async () => {
    upstream = await startFakeUpstream((_request, response) =>
      respondWithStream(response, readFileSync(new URL('openai-chat/chat-stream-text.sse', fixtures)), { chunkSize: 211 }),
    );
    const provider = await openaiPlugin.createProvider({
      endpoint: { id: 'openai', baseUrl: `${upstream.url}/v1`, apiKey: new Secret('sk-test-openai') },
      options: { timeout_ms: 10_000, stream_usage: true, organization: 'org-1', project: '' },
      logger: silentLogger,
      fetch: globalThis.fetch,
    });
    const request: ChatRequest = {
      model: 'gpt-5-nano',
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Be kind.' }] },
        { role: 'user', content: [{ type: 'text', text: 'Hello' }] },
      ],
      sampling: { maxTokens: 300, temperature: 0.3 },
      reasoning: { effort: 'minimal' },
      stream: true,
    };
    const events = await collectEvents(provider.chat(request, { signal: new AbortController().signal }));
    assertEventGrammar(events);
    expect(joinText(events)).toMatch(/^Hi there!/);

    const [sent] = upstream.requests;
    expect(sent?.url).toBe('/v1/chat/completions');
    expect(sent?.headers).toMatchObject({ authorization: 'Bearer sk-test-openai', 'openai-organization': 'org-1' });
    expect(sent?.headers['openai-project']).toBeUndefined();
    expect(sent?.json()).toEqual({
      model: 'gpt-5-nano',
      messages: [
        { role: 'developer', content: 'Be kind.' },
        { role: 'user', content: 'Hello' },
      ],
      stream: true,
      stream_options: { include_usage: true },
      max_completion_tokens: 300,
      reasoning_effort: 'minimal',
    });
  });
});
