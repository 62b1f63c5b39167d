// The conformance kit every provider plugin runs, here under Node's own test runner (`node --test`),
// so a plugin without a build step needs no test framework either.
import { describe, it } from 'node:test';
import { describeProviderContract } from '@nachos/plugin-sdk/testing';
import echo from './index.js';

const question = 'a question with enough words to stream for a while when each word waits fifty milliseconds';

describeProviderContract(echo, {
  options: { prefix: '', word_delay_ms: 0 },
  slowOptions: { prefix: '', word_delay_ms: 50 },
  request: { model: 'echo-1', messages: [{ role: 'user', content: [{ type: 'text', text: question }] }], sampling: {}, stream: true },
  testApi: { describe, it },
});
