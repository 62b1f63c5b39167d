import { readFileSync } from 'node:fs';
import { describeProviderContract } from '@nachos/plugin-sdk/testing';
import plugin from './index.js';

const fixtures = new URL('../../../test/fixtures/protocols/', import.meta.url);
const recorded = (path: string) => ({ name: path, body: readFileSync(new URL(path, fixtures)) });

describeProviderContract(plugin, {
  options: { timeout_ms: 10_000, stream_usage: true, api_version: '2024-10-21', deployments: {}, use_v1_api: false },
  request: { model: 'gpt-5-nano', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello!' }] }], sampling: {}, stream: true },
  upstream: {
    fixtures: [recorded('azure-openai/chat-stream-content-filter.sse'), recorded('openai-chat/chat-stream-toolcall.sse')],
    errorBody: (status, message) => ({ error: { code: String(status), message } }),
  },
});
