import { describeProviderContract } from '@nachos/plugin-sdk/testing';
import mockPlugin from './index.js';

describeProviderContract(mockPlugin, {
  options: { first_token_ms: 0, chunk_delay_ms: 0, output_tokens: 16 },
  slowOptions: { first_token_ms: 0, chunk_delay_ms: 50, output_tokens: 200 },
  request: { model: 'mock-1', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }], sampling: {}, stream: true },
});
