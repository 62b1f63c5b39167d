import { gzipSync } from 'node:zlib';
import { PassthroughUsageMeter } from './passthrough-usage-meter.js';

const sse = (events: unknown[]) => events.map((event) => `data: ${JSON.stringify(event)}\n\n`).join('') + 'data: [DONE]\n\n';

async function meter(contentType: string, body: Buffer, encoding?: string, chunkSize = 7) {
  const usageMeter = new PassthroughUsageMeter(contentType, encoding);
  for (let at = 0; at < body.length; at += chunkSize) usageMeter.push(body.subarray(at, at + chunkSize));
  return usageMeter.finish();
}

describe('PassthroughUsageMeter', () => {
  it('reads the usage chunk of an OpenAI stream, whatever the chunk boundaries', async () => {
    const body = sse([{ choices: [{ delta: { content: 'hi' } }] }, { choices: [], usage: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 } }]);
    expect(await meter('text/event-stream; charset=utf-8', Buffer.from(body))).toEqual({ inputTokens: 12, outputTokens: 5, model: undefined });
  });

  it("keeps Anthropic's running totals from message_start and message_delta", async () => {
    const body = [
      'event: message_start\ndata: {"type":"message_start","message":{"model":"claude-x","usage":{"input_tokens":25,"output_tokens":1}}}\n\n',
      'event: message_delta\ndata: {"type":"message_delta","usage":{"output_tokens":15}}\n\n',
    ].join('');
    expect(await meter('text/event-stream', Buffer.from(body))).toEqual({ inputTokens: 25, outputTokens: 15, model: 'claude-x' });
  });

  it('reads a gzipped JSON answer and an Ollama NDJSON stream', async () => {
    const json = gzipSync(Buffer.from(JSON.stringify({ object: 'list', model: 'embed-1', usage: { prompt_tokens: 8, total_tokens: 8 } })));
    expect(await meter('application/json', json, 'gzip')).toEqual({ inputTokens: 8, outputTokens: 0, model: 'embed-1' });
    const ndjson = '{"message":{"content":"a"},"done":false}\n{"done":true,"prompt_eval_count":4,"eval_count":9}\n';
    expect(await meter('application/x-ndjson', Buffer.from(ndjson))).toEqual({ inputTokens: 4, outputTokens: 9, model: undefined });
  });

  it('does not meter audio, files, or answers without counts', async () => {
    const audio = new PassthroughUsageMeter('audio/mpeg', undefined);
    expect(audio.metered).toBe(false);
    expect(await meter('application/json', Buffer.from('{"id":"file-1","object":"file"}'))).toBeUndefined();
  });
});
