import { readFileSync } from 'node:fs';
import type { ProviderPlugin } from '@nachos/plugin-sdk';
import { describeProviderContract } from '@nachos/plugin-sdk/testing';
import { providers } from './index.js';

const fixtures = new URL('../../../test/fixtures/protocols/', import.meta.url);
const recorded = (path: string) => ({ name: path, body: readFileSync(new URL(path, fixtures)) });

/** Each cloud host's own recording where there is one, and OpenAI's text stream for every host. */
const hostFixtures: Record<string, string[]> = {
  groq: ['openai-compatible/groq-stream-toolcall.sse'],
  mistral: ['openai-compatible/mistral-stream-toolcall.sse'],
  deepseek: ['openai-compatible/deepseek-reasoner-stream-toolcall.sse'],
  xai: ['openai-compatible/xai-stream-toolcall.sse'],
  openrouter: ['openai-compatible/anthropic-backed-toolcall-index1.sse'],
};

const hosted = providers.filter((plugin) => plugin.catalogue.length > 0);

it('covers every preset that has a catalogue', () => {
  expect(hosted.map((plugin) => plugin.id)).toEqual(['groq', 'together', 'mistral', 'deepseek', 'xai', 'perplexity', 'openrouter', 'fireworks', 'sambanova']);
});

for (const plugin of hosted as ReadonlyArray<ProviderPlugin<Record<string, unknown>>>) {
  describeProviderContract(plugin, {
    options: { timeout_ms: 10_000, stream_usage: true },
    request: { model: plugin.catalogue[0]!.id, messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }], sampling: {}, stream: true },
    upstream: {
      basePath: '/v1',
      fixtures: [...(hostFixtures[plugin.id] ?? []), 'openai-chat/chat-stream-text.sse'].map(recorded),
    },
  });
}
