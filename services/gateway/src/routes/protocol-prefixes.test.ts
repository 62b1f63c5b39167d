import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { createLogger } from '@nachos/common';
import type { StreamEvent } from '@nachos/plugin-sdk';
import { createApp } from '../create-app.js';
import type { LlmProxyClient } from '../llm-proxy/llm-proxy-client.js';
import { protocolPrefixes } from './protocol-prefixes.js';

async function* answer(): AsyncGenerator<StreamEvent> {
  yield { type: 'start', id: 'up-1', model: 'm', provider: 'mock', endpoint: 'mock' };
  yield { type: 'text-delta', text: 'Hi.' };
  yield { type: 'finish', reason: 'stop' };
  yield { type: 'usage', usage: { inputTokens: 1, outputTokens: 1 } };
}

describe('protocols served under one path both were given (official SDKs, fake llm-proxy)', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    const client = { chat: () => answer(), listModels: async () => [], isServing: async () => true } as unknown as LlmProxyClient;
    const logger = createLogger({ service: 'gateway', env: {} });
    logger.silent = true;
    const prefixes = protocolPrefixes({ openai: { enabled: true, path: '/llm' }, anthropic: { enabled: true, path: '/llm' } });
    server = createApp({ client, logger, bodyLimit: '1mb', isDraining: () => false, prefixes }).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('answers each SDK in its own protocol there, and an unknown path in the caller\'s', async () => {
    const openai = new OpenAI({ baseURL: `${url}/llm/v1`, apiKey: 'not-used', maxRetries: 0 });
    const completion = await openai.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'Hello' }] });
    expect(completion.choices[0]?.message.content).toBe('Hi.');
    expect(await (await fetch(`${url}/llm/v1/models`)).json()).toEqual({ object: 'list', data: [] });
    const anthropic = new Anthropic({ baseURL: `${url}/llm`, apiKey: 'not-used', maxRetries: 0 });
    const message = await anthropic.messages.create({ model: 'm', max_tokens: 8, messages: [{ role: 'user', content: 'Hello' }] });
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'Hi.' });
    await expect(openai.post('/nowhere', { body: {} })).rejects.toMatchObject({ status: 404, error: { type: 'invalid_request_error' } });
  });
});
