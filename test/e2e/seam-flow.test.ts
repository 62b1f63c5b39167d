import { request as httpRequest, createServer, type IncomingMessage, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { startServices, type RunningServices } from '../helpers/start-services.js';

/**
 * What crosses the gRPC seam between the gateway and llm-proxy: large requests within the body limit,
 * many streams side by side with a client that stops reading, and what that client costs llm-proxy.
 * The upstream is a real HTTP server that streams as fast as it is read (`stream-fast`: 200 MB of SSE
 * unless it is slowed), or a short paced answer (`stream-short`), honouring socket backpressure like a
 * real provider, and counting what it managed to write.
 */

interface Upstream {
  url: string;
  bodies: number[];
  fastWritten: number;
  fastClosedEarly: number;
  close: () => Promise<void>;
}

const WORD = 'x'.repeat(1_000);

async function startUpstream(): Promise<Upstream> {
  const state: Upstream = { url: '', bodies: [], fastWritten: 0, fastClosedEarly: 0, close: async () => {} };
  const chunk = (model: string, delta: Record<string, unknown>, finish: string | null) =>
    `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  const server: Server = createServer((request: IncomingMessage, response) => {
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', async () => {
      const raw = Buffer.concat(parts);
      state.bodies.push(raw.length);
      const body = JSON.parse(raw.toString()) as { model: string; stream?: boolean };
      if (body.model === 'vision') {
        const content = `got ${raw.length} bytes`;
        if (body.stream) {
          response.writeHead(200, { 'content-type': 'text/event-stream' });
          response.end(`${chunk(body.model, { role: 'assistant', content }, null)}${chunk(body.model, {}, 'stop')}data: [DONE]\n\n`);
          return;
        }
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ id: 'c', object: 'chat.completion', created: 1, model: body.model, choices: [{ index: 0, message: { role: 'assistant', content: `got ${raw.length} bytes` }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }));
        return;
      }
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      const fast = body.model === 'stream-fast';
      let closed = false;
      response.on('close', () => {
        closed = true;
        if (fast && !response.writableFinished) state.fastClosedEarly += 1;
      });
      const words = fast ? 200_000 : 40;
      for (let index = 0; index < words && !closed; index += 1) {
        const frame = chunk(body.model, { content: fast ? WORD : `w${index} ` }, null);
        if (fast) state.fastWritten += frame.length;
        if (!response.write(frame)) await new Promise((resolve) => { response.once('drain', resolve); response.once('close', resolve); });
        if (!fast) await new Promise((resolve) => setTimeout(resolve, 5));
      }
      if (!closed) response.end(`${chunk(body.model, {}, 'stop')}data: [DONE]\n\n`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  state.close = () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
  return state;
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((entry) => entry.startsWith('VmRSS:')) ?? 'VmRSS: 0 kB';
  return Number(line.replace(/\D+/g, '')) / 1024;
}

const waitFor = async (condition: () => boolean, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

/** A PNG of about `bytes` as a data URL (a valid header, then filler: the upstream does not decode it). */
function largeImage(bytes: number): string {
  const header = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
  return `data:image/png;base64,${Buffer.concat([header, Buffer.alloc(bytes, 7)]).toString('base64')}`;
}

describe('the gRPC seam', () => {
  let upstream: Upstream;
  let services: RunningServices;
  let openai: OpenAI;

  beforeAll(async () => {
    upstream = await startUpstream();
    services = await startServices({
      LLM_PROXY_ENDPOINT_UP_URL: upstream.url,
      LLM_PROXY_ENDPOINT_UP_MODELS: 'vision,stream-fast,stream-short',
      // Long enough that the stalled client, resuming once its upstream closed, still finds its socket open on a busy machine.
      GATEWAY_STREAM_STALL_TIMEOUT_MS: '4000',
    });
    openai = new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: 'x', maxRetries: 0 });
  });

  afterAll(async () => {
    await services?.stop();
    await upstream?.close();
  });

  it('carries a request above gRPC’s 4 MiB default: a large vision request works', async () => {
    const image = largeImage(6 * 1024 * 1024);
    const completion = await openai.chat.completions.create({
      model: 'vision',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'what is this?' }, { type: 'image_url', image_url: { url: image } }] }],
    });
    expect(completion.choices[0]?.message.content).toMatch(/^got \d+ bytes$/);
    expect(upstream.bodies.at(-1)).toBeGreaterThan(image.length);
  });

  it('answers a body over the limit with 413 in the caller’s protocol, at no upstream cost', async () => {
    const before = upstream.bodies.length;
    const huge = 'y'.repeat(21 * 1024 * 1024);
    const openaiFailure = await openai.chat.completions.create({ model: 'vision', messages: [{ role: 'user', content: huge }] }).catch((error: unknown) => error);
    expect(openaiFailure).toBeInstanceOf(OpenAI.APIError);
    expect((openaiFailure as InstanceType<typeof OpenAI.APIError>).status).toBe(413);
    expect((openaiFailure as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({ type: 'invalid_request_error' });

    const anthropic = new Anthropic({ baseURL: services.gatewayUrl, apiKey: 'x', maxRetries: 0 });
    const anthropicFailure = await anthropic.messages.create({ model: 'vision', max_tokens: 10, messages: [{ role: 'user', content: huge }] }).catch((error: unknown) => error);
    expect(anthropicFailure).toBeInstanceOf(Anthropic.APIError);
    expect((anthropicFailure as InstanceType<typeof Anthropic.APIError>).status).toBe(413);
    expect((anthropicFailure as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: 'error', error: { type: 'request_too_large' } });
    expect(upstream.bodies.length).toBe(before);
  });

  it('keeps streams apart: a client that stops reading slows only its own upstream, then is ended; llm-proxy memory stays bounded', async () => {
    const pid = services.llmProxy.child.pid as number;
    const baseline = rssMb(pid);
    // The stalled client: it reads the response head, then nothing.
    let stalledBody = '';
    let stalledResponse: IncomingMessage | undefined;
    const stalled = httpRequest(`${services.gatewayUrl}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (response) => {
      stalledResponse = response;
      response.pause();
    });
    stalled.end(JSON.stringify({ model: 'stream-fast', stream: true, messages: [{ role: 'user', content: 'go' }] }));
    await waitFor(() => stalledResponse !== undefined && upstream.fastWritten > 1_000_000, 10_000);

    // Twenty other streams over the same seam, meanwhile, are whole.
    const texts = await Promise.all(
      Array.from({ length: 20 }, async () => {
        let text = '';
        const stream = await openai.chat.completions.create({ model: 'stream-short', stream: true, messages: [{ role: 'user', content: 'hi' }] });
        for await (const part of stream) text += part.choices[0]?.delta.content ?? '';
        return text;
      }),
    );
    for (const text of texts) expect(text).toBe(Array.from({ length: 40 }, (_, index) => `w${index} `).join(''));

    // The upstream was slowed to what the buffers on the way hold, not read to its end …
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 100);
    try {
      await waitFor(() => upstream.fastClosedEarly === 1, 15_000);
    } finally {
      clearInterval(sampler);
    }
    expect(upstream.fastWritten).toBeLessThan(64 * 1024 * 1024);
    expect(peak - baseline).toBeLessThan(96);

    // … and the client, when it reads again, finds its stream ended with an error event, not [DONE].
    stalledResponse?.setEncoding('utf8');
    stalledResponse?.on('data', (part: string) => (stalledBody += part));
    await new Promise<void>((resolve) => {
      stalledResponse?.on('end', () => resolve());
      stalledResponse?.on('close', () => resolve());
      stalledResponse?.resume();
    });
    expect(stalledBody.trimEnd().split('\n\n').at(-1)).toMatch(/^data: \{"error":\{.*"The client stopped reading the stream\."/);
    expect(stalledBody).not.toContain('[DONE]');
  });
});
