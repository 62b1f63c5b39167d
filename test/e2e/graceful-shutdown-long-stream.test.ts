import Anthropic from '@anthropic-ai/sdk';
import { Ollama } from 'ollama';
import OpenAI from 'openai';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from '../helpers/fake-openai-upstream.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';

/**
 * I4, the other half: a stream longer than the gateway's grace period ends with its protocol's error event
 * (which each official SDK raises) before the socket closes — never a stream that just stops.
 */
describe('SIGTERM with streams longer than the grace period', () => {
  let upstream: FakeOpenAIUpstream;
  let services: RunningServices;

  beforeAll(async () => {
    upstream = await startFakeOpenAIUpstream({ words: Array.from({ length: 60 }, (_, index) => ` w${index}`), chunkDelayMs: 100 });
    services = await startServices({
      LLM_PROXY_ENDPOINT_UP_URL: upstream.url,
      LLM_PROXY_ENDPOINT_UP_MODELS: 'slow',
      SHUTDOWN_GRACE_MS: '1500',
    });
  });

  afterAll(async () => {
    await services?.stop();
    await upstream?.close();
  });

  /** Reads a stream to its end; what it read, and the error the SDK raised (none if it just ended). */
  const drain = async (read: (onText: () => void) => Promise<void>, onText: () => void) => {
    try {
      await read(onText);
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  };

  it('ends each open stream with its protocol’s error event, then exits 0', async () => {
    const base = services.gatewayUrl;
    const openai = new OpenAI({ baseURL: `${base}/v1`, apiKey: 'x', maxRetries: 0 });
    const anthropic = new Anthropic({ baseURL: base, apiKey: 'x', maxRetries: 0 });
    const ollama = new Ollama({ host: base });
    const messages = [{ role: 'user' as const, content: 'hi' }];
    const seen = new Set<string>();
    let allStarted: () => void = () => {};
    const started = new Promise<void>((resolve) => (allStarted = resolve));
    const mark = (name: string) => () => {
      seen.add(name);
      if (seen.size === 3) allStarted();
    };
    const errors = Promise.all([
      drain(async (onText) => {
        for await (const chunk of await openai.chat.completions.create({ model: 'slow', messages, stream: true })) if (chunk.choices[0]?.delta.content) onText();
      }, mark('openai')),
      drain(async (onText) => {
        for await (const event of anthropic.messages.stream({ model: 'slow', max_tokens: 512, messages })) if (event.type === 'content_block_delta') onText();
      }, mark('anthropic')),
      drain(async (onText) => {
        for await (const part of await ollama.chat({ model: 'slow', messages, stream: true })) if (part.message.content) onText();
      }, mark('ollama')),
    ]);
    await started;
    const exit = new Promise<number | null>((resolve) => services.gateway.child.once('exit', (code) => resolve(code)));
    services.gateway.child.kill('SIGTERM');
    const raised = await errors;
    expect(raised).toEqual([
      expect.stringContaining('shutting down'),
      expect.stringContaining('shutting down'),
      expect.stringContaining('shutting down'),
    ]);
    expect(await exit).toBe(0);
  });
});
