import { readFileSync } from 'node:fs';
import { describeProviderContract } from '@nachos/plugin-sdk/testing';
import { encodeEvent, encodeEventsFixture } from '../test/converse-stream-frames.js';
import plugin from './index.js';

const EVENTSTREAM = 'application/vnd.amazon.eventstream';
const fixtures = new URL('../../../test/fixtures/protocols/bedrock/', import.meta.url);

/** A frame whose last byte (its message CRC) is wrong. */
const corruptFrame = encodeEvent('messageStart', { role: 'assistant' });
corruptFrame[corruptFrame.length - 1] = (corruptFrame[corruptFrame.length - 1] ?? 0) ^ 0xff;

describeProviderContract(plugin, {
  options: { timeout_ms: 10_000, region: 'us-east-1', auth: 'auto', secret_access_key_env: 'AWS_SECRET_ACCESS_KEY', session_token_env: 'AWS_SESSION_TOKEN' },
  request: {
    model: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
    messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }],
    sampling: {},
    stream: true,
  },
  upstream: {
    fixtures: [
      { name: 'converse-stream-text-tooluse.eventstream', body: readFileSync(new URL('converse-stream-text-tooluse.eventstream', fixtures)), contentType: EVENTSTREAM },
      { name: 'converse-stream-reasoning (encoded)', body: encodeEventsFixture('converse-stream-reasoning.events.jsonl'), contentType: EVENTSTREAM },
      { name: 'converse-stream-text (encoded)', body: encodeEventsFixture('converse-stream-text.events.jsonl'), contentType: EVENTSTREAM },
    ],
    errorBody: (_status, message) => ({ message }),
    malformed: { name: 'frame with a bad CRC', body: corruptFrame, contentType: EVENTSTREAM },
  },
});
