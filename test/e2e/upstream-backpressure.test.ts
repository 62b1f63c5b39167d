import { request as httpRequest, type IncomingMessage } from 'node:http';
import { startScriptedOpenAIUpstream, type ScriptedOpenAIUpstream } from '../helpers/scripted-openai-upstream.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';

const CHUNK_TEXT = 'x'.repeat(1024);
// 160 MB: far beyond what the kernel's loopback buffers on the way may hold once autotuned (tcp_rmem's
// ceiling is 32 MB on Debian), so "stuck well short of its answer" means the hops hold back the upstream.
const TOTAL_CHUNKS = 160_000;

/**
 * A client that stops reading slows the provider: nothing between them buffers without bound, so the
 * fast upstream below gets only as far as the buffers on the way allow, not through its 160 MB answer.
 */
describe('upstream backpressure', () => {
  let upstream: ScriptedOpenAIUpstream;
  let services: RunningServices;
  let written = 0;

  beforeAll(async () => {
    upstream = await startScriptedOpenAIUpstream(['firehose']);
    upstream.reply = async (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      const frame = (delta: Record<string, unknown>, finish: string | null) =>
        `data: ${JSON.stringify({ id: 'f', object: 'chat.completion.chunk', created: 1, model: 'firehose', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
      response.write(frame({ role: 'assistant', content: '' }, null));
      for (let index = 0; index < TOTAL_CHUNKS && !response.destroyed; index += 1) {
        const text = frame({ content: CHUNK_TEXT }, null);
        written += text.length;
        if (!response.write(text)) await new Promise((resolve) => response.once('drain', resolve).once('close', resolve));
      }
      if (!response.destroyed) response.end(`${frame({}, 'stop')}data: [DONE]\n\n`);
    };
    services = await startServices({ LLM_PROXY_ENDPOINT_FIREHOSE_URL: upstream.url, LLM_PROXY_ENDPOINT_FIREHOSE_MODELS: 'firehose', LLM_PROXY_LOCAL_DISCOVERY: '0' });
  });

  afterAll(async () => {
    await services?.stop();
    await upstream?.close();
  });

  it('stops the upstream while the client does not read', async () => {
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const outgoing = httpRequest(`${services.gatewayUrl}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' } }, resolve);
      outgoing.on('error', reject);
      outgoing.end(JSON.stringify({ model: 'firehose', messages: [{ role: 'user', content: 'everything' }], stream: true }));
    });
    expect(response.statusCode).toBe(200);
    await new Promise((resolve) => response.once('readable', resolve));
    response.pause();
    // Let every hop fill its buffers; then the upstream must be stuck well short of its answer.
    let before = -1;
    for (let round = 0; round < 40 && written !== before; round += 1) {
      before = written;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(written).toBe(before);
    expect(written).toBeLessThan((TOTAL_CHUNKS * CHUNK_TEXT.length) / 4);
    response.destroy();
  });
});
