import { readFileSync } from 'node:fs';
import { describeProviderContract } from '@nachos/plugin-sdk/testing';
import openaiPlugin from './index.js';

const fixtures = new URL('../../../test/fixtures/protocols/', import.meta.url);
const recorded = (path: string) => ({ name: path, body: readFileSync(new URL(path, fixtures)) });

describeProviderContract(openaiPlugin, {
  options: { timeout_ms: 10_000, stream_usage: true, organization: '', project: '' },
  request: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }], sampling: {}, stream: true },
  upstream: {
    basePath: '/v1',
    fixtures: [
      recorded('openai-chat/chat-stream-text.sse'),
      recorded('openai-chat/chat-stream-include-usage.sse'),
      recorded('openai-chat/chat-stream-toolcall.sse'),
      recorded('openai-chat/chat-stream-refusal.sse'),
      recorded('openai-compatible/groq-stream-toolcall.sse'),
      recorded('openai-compatible/mistral-stream-toolcall.sse'),
      recorded('openai-compatible/deepseek-reasoner-stream-toolcall.sse'),
      recorded('azure-openai/chat-stream-content-filter.sse'),
    ],
  },
});
