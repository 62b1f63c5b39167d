import { readFileSync } from 'node:fs';
import { describeProviderContract } from '@nachos/plugin-sdk/testing';
import plugin from './index.js';

const fixtures = new URL('../../../test/fixtures/protocols/gemini/', import.meta.url);
const recorded = (name: string) => ({ name, body: readFileSync(new URL(name, fixtures)) });

describeProviderContract(plugin, {
  options: { timeout_ms: 10_000, max_image_bytes: 1024 * 1024, allow_private_image_urls: false },
  request: { model: 'gemini-2.5-flash', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }], sampling: {}, stream: true },
  upstream: {
    basePath: '/v1beta',
    fixtures: [
      recorded('stream-text.sse'),
      recorded('stream-raw-crlf.sse'),
      recorded('stream-functioncall.sse'),
      recorded('stream-functioncall-snakecase.sse'),
      recorded('stream-thinking-signature.sse'),
      recorded('functionresponse-followup.sse'),
    ],
    errorBody: (status, message) => ({ error: { code: status, message, status: 'FAILED' } }),
    malformed: { name: 'broken chunk', body: 'data: {"candidates": [{"content":\r\n\r\n' },
  },
});
