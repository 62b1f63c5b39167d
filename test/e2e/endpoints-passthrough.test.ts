import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startServices, type RunningServices } from '../helpers/start-services.js';
import { writeConfigFile } from '../helpers/write-config-file.js';

const GATEWAY_KEY = 'gw-passthrough-canary-7777';
const ADMIN_KEY = 'admin-passthrough-canary-8888';
const RAW_KEY = 'sk-raw-endpoint-canary-99999999';

interface RawRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

interface RawUpstream {
  url: string;
  name: string;
  requests: RawRequest[];
  /** Resolves when a stream has sent its first event; the rest waits for {@link RawUpstream.release}. */
  firstEventSent: Promise<number>;
  release: () => void;
  close: () => Promise<void>;
}

/**
 * An upstream for the APIs nachos does not translate: `/v1/files` echoes what it received, `/v1/models`
 * names the server, and `/v1/chat/completions` streams one event, then holds the rest until released.
 */
async function startRawUpstream(name: string): Promise<RawUpstream> {
  const requests: RawRequest[] = [];
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  let markFirst: (at: number) => void = () => {};
  const firstEventSent = new Promise<number>((resolve) => (markFirst = resolve));
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      requests.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers, body });
      if (request.url === '/v1/chat/completions') {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write(`data: ${JSON.stringify({ model: 'raw-model', choices: [{ index: 0, delta: { content: 'first' } }] })}\n\n`);
        markFirst(Date.now());
        void released.then(() => {
          response.write(`data: ${JSON.stringify({ model: 'raw-model', choices: [], usage: { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 } })}\n\n`);
          response.end('data: [DONE]\n\n');
        });
      } else if (request.url === '/v1/files') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ id: 'file-1', object: 'file', bytes: body.length, content_type: request.headers['content-type'] }));
      } else {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ object: 'list', data: [{ id: `${name}-model`, object: 'model' }] }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    name,
    requests,
    firstEventSent,
    release,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * Raw pass-through routes: the gateway forwards `/passthrough/<endpoint>/…` with http-proxy-middleware to
 * llm-proxy, which swaps in the endpoint's key and streams the bytes both ways unbuffered. Gateway keys,
 * rate limits and metering apply as on translated routes.
 */
describe('pass-through routes', () => {
  const upstreams: RawUpstream[] = [];
  const running: RunningServices[] = [];

  afterEach(async () => {
    await Promise.all(running.splice(0).map((services) => services.stop()));
    await Promise.all(upstreams.splice(0).map((upstream) => upstream.close()));
  });

  async function start(toml: string, env: Record<string, string> = {}): Promise<RunningServices> {
    const services = await startServices({
      NACHOS_CONFIG: writeConfigFile(toml),
      NACHOS_API_KEYS: GATEWAY_KEY,
      NACHOS_ADMIN_KEY: ADMIN_KEY,
      RAW_KEY,
      LLM_PROXY_LOCAL_DISCOVERY: '0',
      ...env,
    });
    running.push(services);
    return services;
  }

  async function upstream(name: string): Promise<RawUpstream> {
    const started = await startRawUpstream(name);
    upstreams.push(started);
    return started;
  }

  const endpointToml = (id: string, target: RawUpstream, extra = '') => `
[endpoints.${id}]
provider = "openai-compatible"
base_url = "${target.url}"
api_key_env = "RAW_KEY"
models = ["${target.name}-model"]
${extra}`;

  it('streams unbuffered: the first event reaches the client while the upstream still holds the rest, and the answer is metered', async () => {
    const raw = await upstream('raw');
    const services = await start(endpointToml('raw', raw));
    const response = await fetch(`${services.gatewayUrl}/passthrough/raw/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${GATEWAY_KEY}`, 'x-api-key': GATEWAY_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'raw-model', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(response.headers.get('x-nachos-endpoint')).toBe('raw');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    const firstByteAt = Date.now();
    expect(new TextDecoder().decode(first.value)).toContain('"content":"first"');
    // The upstream has sent one event and is waiting: everything the client has, it got unbuffered.
    expect(firstByteAt - (await raw.firstEventSent)).toBeLessThan(500);
    raw.release();
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += new TextDecoder().decode(chunk.value);
    expect(rest).toContain('"prompt_tokens":11');
    expect(rest.trim().endsWith('data: [DONE]')).toBe(true);

    const seen = raw.requests[0] as RawRequest;
    expect(seen.path).toBe('/v1/chat/completions');
    expect(seen.headers.authorization).toBe(`Bearer ${RAW_KEY}`);
    expect(JSON.stringify(seen.headers)).not.toContain(GATEWAY_KEY);
    expect(JSON.parse(seen.body.toString())).toEqual({ model: 'raw-model', stream: true, messages: [{ role: 'user', content: 'hi' }] });

    const usage = async () =>
      ((await (await fetch(`${services.gatewayUrl}/admin/v1/usage`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })).json()) as {
        by_key: Record<string, { requests: number; input_tokens: number; output_tokens: number }>;
      }).by_key['api-key-1'];
    const deadline = Date.now() + 2_000;
    while ((await usage())?.requests !== 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(await usage()).toMatchObject({ requests: 1, input_tokens: 11, output_tokens: 7 });
    expect(services.logs()).not.toContain(RAW_KEY);
  });

  it('forwards uploads byte for byte (multipart files), and refuses callers without a gateway key', async () => {
    const raw = await upstream('raw');
    const services = await start(endpointToml('raw', raw));
    const form = new FormData();
    form.append('purpose', 'batch');
    form.append('file', new Blob([Buffer.alloc(200_000, 7)]), 'input.jsonl');
    const uploaded = await fetch(`${services.gatewayUrl}/passthrough/raw/files`, { method: 'POST', headers: { authorization: `Bearer ${GATEWAY_KEY}` }, body: form });
    expect(uploaded.status).toBe(200);
    const answer = (await uploaded.json()) as { bytes: number; content_type: string };
    expect(answer.content_type).toMatch(/^multipart\/form-data; boundary=/);
    expect(answer.bytes).toBe(raw.requests[0]?.body.length);
    expect(raw.requests[0]?.body.includes(Buffer.alloc(200_000, 7))).toBe(true);

    const anonymous = await fetch(`${services.gatewayUrl}/passthrough/raw/files`, { method: 'POST', body: form });
    expect(anonymous.status).toBe(401);
    const unknown = await fetch(`${services.gatewayUrl}/passthrough/nowhere/files`, { headers: { authorization: `Bearer ${GATEWAY_KEY}` } });
    expect(unknown.status).toBe(404);
    expect(raw.requests).toHaveLength(1);
  });

  it("balances a provider's endpoints by weight, and applies the key's rate limit", async () => {
    const heavy = await upstream('heavy');
    const light = await upstream('light');
    const services = await start(
      `${endpointToml('heavy', heavy, 'weight = 2')}${endpointToml('light', light, 'weight = 1')}
[rate_limit.per_key]
requests_per_minute = 6
`,
    );
    const served: string[] = [];
    for (let index = 0; index < 6; index += 1) {
      const response = await fetch(`${services.gatewayUrl}/passthrough/openai-compatible/models`, { headers: { authorization: `Bearer ${GATEWAY_KEY}` } });
      expect(response.status).toBe(200);
      served.push(response.headers.get('x-nachos-endpoint') ?? '');
    }
    expect(served.filter((id) => id === 'heavy')).toHaveLength(4);
    expect(served.filter((id) => id === 'light')).toHaveLength(2);
    const limited = await fetch(`${services.gatewayUrl}/passthrough/heavy/models`, { headers: { authorization: `Bearer ${GATEWAY_KEY}` } });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).not.toBeNull();
  });
});
