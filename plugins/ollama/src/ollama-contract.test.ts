import { readFileSync } from 'node:fs';
import { describeProviderContract } from '@nachos/plugin-sdk/testing';
import plugin from './index.js';

const fixtures = new URL('../../../test/fixtures/protocols/ollama/', import.meta.url);
const recorded = (name: string) => ({ name: `ollama/${name}`, body: readFileSync(new URL(name, fixtures)), contentType: 'application/x-ndjson' });

describeProviderContract(plugin, {
  options: { timeout_ms: 10_000, keep_alive: '', num_ctx: 0, fetch_image_urls: true, max_image_bytes: 1024, allow_private_image_urls: true },
  request: { model: 'llama3.2', messages: [{ role: 'user', content: [{ type: 'text', text: 'why is the sky blue?' }] }], sampling: {}, stream: true },
  upstream: {
    fixtures: [recorded('chat-stream.ndjson'), recorded('chat-stream-toolcall.ndjson')],
    errorBody: (_status, message) => ({ error: message }),
    malformed: { name: 'a line that is not JSON', body: '{"model":"llama3.2","message":{"content":"a"},"done":false}\n{"model": "llama3.2", "mess\n', contentType: 'application/x-ndjson' },
  },
});
