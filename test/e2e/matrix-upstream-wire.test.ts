import Anthropic from '@anthropic-ai/sdk';
import { Ollama } from 'ollama';
import OpenAI from 'openai';
import type { RecordedRequest } from '@nachos/plugin-sdk/testing';
import { FAMILIES, REASONING_MODEL, startCrossFamily, type CrossFamily, type ProviderFamily } from '../helpers/start-cross-family.js';

/** Keys the clients present to the gateway (which runs without authentication here): they must stay there. */
const CLIENT_KEYS = { openai: 'client-key-openai-sdk-9f1e', anthropic: 'client-key-anthropic-sdk-2b7c', ollama: 'client-key-ollama-sdk-64d0' };

/** Each provider's own auth and URL shape, as its API documents them. */
const WIRE: Record<ProviderFamily, (request: RecordedRequest, matrix: CrossFamily, model: string) => void> = {
  openai: (request, matrix) => {
    expect(request.url).toBe('/v1/chat/completions');
    expect(request.headers.authorization).toBe(`Bearer ${matrix.keys.openai}`);
  },
  anthropic: (request, matrix) => {
    expect(request.url).toBe('/v1/messages');
    expect(request.headers['x-api-key']).toBe(matrix.keys.anthropic);
    expect(request.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(request.headers.authorization).toBeUndefined();
  },
  google: (request, matrix, model) => {
    // The chats here are not streamed, so neither is the upstream call: Gemini's one-body method.
    expect(request.url).toBe(`/v1beta/models/${model}:generateContent`);
    expect(request.headers['x-goog-api-key']).toBe(matrix.keys.google);
    expect(request.headers.authorization).toBeUndefined();
  },
  ollama: (request) => {
    expect(request.url).toBe('/api/chat');
    // A keyless endpoint: no key of any kind.
    expect(request.headers.authorization).toBeUndefined();
  },
};

function textOf(message: Anthropic.Message): string {
  return message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
}

describe('cross-family matrix: what each provider receives', () => {
  let matrix: CrossFamily;
  let openai: OpenAI;
  let anthropic: Anthropic;
  let ollama: Ollama;

  beforeAll(async () => {
    matrix = await startCrossFamily();
    openai = new OpenAI({ baseURL: `${matrix.services.gatewayUrl}/v1`, apiKey: CLIENT_KEYS.openai, maxRetries: 0 });
    anthropic = new Anthropic({ baseURL: matrix.services.gatewayUrl, apiKey: CLIENT_KEYS.anthropic, maxRetries: 0 });
    ollama = new Ollama({ host: matrix.services.gatewayUrl, headers: { authorization: `Bearer ${CLIENT_KEYS.ollama}` } });
  });

  afterAll(async () => {
    await matrix?.stop();
  });

  /**
   * One chat (not streamed) from each SDK, which must all read the recorded text; returns the requests
   * they caused at `family`'s provider.
   */
  async function chatFromEverySdk(family: ProviderFamily, model: string): Promise<RecordedRequest[]> {
    const fake = matrix.upstream[family];
    const before = fake.requests.length;
    const messages = [{ role: 'user' as const, content: 'Say something' }];
    const answers = [
      (await openai.chat.completions.create({ model, messages })).choices[0]?.message.content,
      textOf(await anthropic.messages.create({ model, max_tokens: 128, messages })),
      (await ollama.chat({ model, messages })).message.content,
    ];
    expect(answers).toEqual([fake.recorded.text, fake.recorded.text, fake.recorded.text]);
    return fake.requests.slice(before);
  }

  it.each(FAMILIES)('reaches the $family provider with its own auth header and URL shape, from every client', async ({ family, model }) => {
    const requests = await chatFromEverySdk(family, model);
    expect(requests).toHaveLength(3);
    for (const request of requests) {
      expect(request.method).toBe('POST');
      WIRE[family](request, matrix, model);
      const sent = `${request.url}\n${JSON.stringify(request.headers)}\n${request.body}`;
      for (const key of [...Object.values(CLIENT_KEYS), ...Object.entries(matrix.keys).filter(([owner]) => owner !== family).map(([, key]) => key)]) {
        expect(sent).not.toContain(key);
      }
    }
  });

  it('never puts a key in a Gemini URL', async () => {
    await chatFromEverySdk('google', FAMILIES.find(({ family }) => family === 'google')!.model);
    const urls = matrix.upstream.google.requests.map((request) => request.url);
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) {
      expect(new URL(url, 'http://upstream').searchParams.has('key')).toBe(false);
      expect(url).not.toContain(matrix.keys.google);
    }
  });

  it(`never sends temperature to the reasoning model ${REASONING_MODEL}, whichever client asked for one`, async () => {
    const fake = matrix.upstream.openai;
    const before = fake.requests.length;
    const messages = [{ role: 'user' as const, content: 'Think, then answer' }];
    // The fake answers with OpenAI's own 400 when a reasoning model gets temperature or max_tokens.
    const answers = [
      (await openai.chat.completions.create({ model: REASONING_MODEL, temperature: 0.7, max_tokens: 100, messages })).choices[0]?.message.content,
      textOf(await anthropic.messages.create({ model: REASONING_MODEL, temperature: 0.7, max_tokens: 100, messages })),
      (await ollama.chat({ model: REASONING_MODEL, options: { temperature: 0.7, num_predict: 100 }, messages })).message.content,
    ];
    expect(answers).toEqual([fake.recorded.text, fake.recorded.text, fake.recorded.text]);
    const bodies = fake.requests.slice(before).map((request) => request.json() as Record<string, unknown>);
    expect(bodies).toHaveLength(3);
    for (const body of bodies) {
      expect(body).toMatchObject({ model: REASONING_MODEL, max_completion_tokens: 100 });
      expect(body).not.toHaveProperty('temperature');
      expect(body).not.toHaveProperty('max_tokens');
    }

    // A chat model keeps the temperature the client chose.
    await openai.chat.completions.create({ model: 'gpt-4o', temperature: 0.7, messages });
    expect(fake.requests.at(-1)?.json()).toMatchObject({ model: 'gpt-4o', temperature: 0.7 });
  });

  it('never prints a provider key, a client key or a keyed URL in either service log', async () => {
    for (const { family, model } of FAMILIES) await chatFromEverySdk(family, model);
    const logs = matrix.services.logs();
    expect(logs).toContain('"message":"chat"');
    for (const key of [...Object.values(matrix.keys), ...Object.values(CLIENT_KEYS)]) expect(logs).not.toContain(key);
    expect(logs).not.toMatch(/[?&]key=/);
  });
});
