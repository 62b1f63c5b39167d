import { readFileSync } from 'node:fs';
import { describeProviderContract } from '@nachos/plugin-sdk/testing';
import plugin from './index.js';

const fixtures = new URL('../../../test/fixtures/protocols/anthropic-messages/', import.meta.url);
const recorded = (name: string) => ({ name, body: readFileSync(new URL(name, fixtures)) });

describeProviderContract(plugin, {
  options: { timeout_ms: 10_000, default_max_tokens: 0, anthropic_version: '2023-06-01', auth_scheme: 'x-api-key' },
  request: { model: 'claude-haiku-4-5', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }], sampling: {}, stream: true },
  upstream: {
    basePath: '/v1',
    fixtures: [
      recorded('messages-stream-text.sse'),
      recorded('messages-stream-tooluse.sse'),
      recorded('messages-stream-tooluse-docs.sse'),
      recorded('messages-stream-tool-no-args.sse'),
      recorded('messages-stream-thinking.sse'),
      recorded('messages-stream-delta-input-tokens.sse'),
    ],
    errorBody: (status, message) => ({ type: 'error', error: { type: `status_${status}`, message } }),
    malformed: { name: 'broken event', body: 'event: message_start\ndata: {"type":"message_start","message":{"id":\n\n' },
  },
});
