import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from '../helpers/fake-openai-upstream.js';
import { logEntries, type LogEntry } from '../helpers/log-entries.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';
import { writeConfigFile } from '../helpers/write-config-file.js';

const KEY = 'sk-gw-left-mid-body-5c1e';

/** An upstream for pass-through that tells, per request, whether its body ended or its connection went first. */
interface RawUpstream {
  url: string;
  /** One entry per request: `true` once its body ended, `false` if it was cut off. */
  ends: Promise<boolean>[];
  /** Resolves when the first request has arrived. */
  arrived: Promise<void>;
  close: () => Promise<void>;
}

async function startRawUpstream(): Promise<RawUpstream> {
  const ends: Promise<boolean>[] = [];
  let arrive = () => {};
  const arrived = new Promise<void>((resolve) => (arrive = resolve));
  const server: Server = createServer((request, response) => {
    arrive();
    ends.push(
      new Promise((resolve) => {
        request.on('end', () => {
          resolve(true);
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end('{}');
        });
        request.on('close', () => resolve(request.complete));
        request.resume();
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    ends,
    arrived,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * Writes a request's headers and the first half of its body, waits for the gateway to be reading it (or for
 * `reading`), then destroys the socket; resolves with whatever came back (nothing is expected) once it is gone.
 */
function leaveMidBody(port: number, head: string, half: string, reading?: Promise<void>): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let received = '';
    socket.on('connect', () => {
      socket.write(`${head}\r\n${half}`);
      void (reading ?? new Promise((wait) => setTimeout(wait, 500))).then(() => socket.destroy());
    });
    socket.on('data', (chunk) => (received += chunk.toString()));
    socket.on('error', () => {});
    socket.on('close', () => resolve(received));
  });
}

/** The gateway's access lines for a path so far. */
function accessLines(services: RunningServices, path: string): LogEntry[] {
  return logEntries(services.gateway.output()).filter((entry) => entry.message === 'request' && entry.path === path);
}

/** The gateway's next access line for a path, after the `seen` it had written before. */
async function nextAccessLine(services: RunningServices, path: string, seen: number): Promise<LogEntry | undefined> {
  const deadline = Date.now() + 3_000;
  while (accessLines(services, path).length <= seen && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  return accessLines(services, path)[seen];
}

/**
 * A client that goes away while its request body is still arriving (issue #14) has ended its own request:
 * the gateway logs it as a client-side end (499 `cancelled`, closed early), not as a failure of its own
 * with a stack, counts no error of its own in /metrics, writes nothing back, and keeps serving.
 */
describe('a client that leaves mid-body', () => {
  let upstream: FakeOpenAIUpstream;
  let raw: RawUpstream;
  let services: RunningServices;
  let port: number;

  beforeAll(async () => {
    upstream = await startFakeOpenAIUpstream({ models: ['fake-model'] });
    raw = await startRawUpstream();
    services = await startServices({
      NACHOS_CONFIG: writeConfigFile(`
[endpoints.raw]
provider = "openai-compatible"
base_url = "${raw.url}"
models = ["raw-model"]
`),
      NACHOS_API_KEYS: KEY,
      LLM_PROXY_LOCAL_DISCOVERY: '0',
      LLM_PROXY_ENDPOINT_X_URL: upstream.url,
      LLM_PROXY_ENDPOINT_X_MODELS: 'fake-model',
    });
    port = Number(new URL(services.gatewayUrl).port);
  });

  afterAll(async () => {
    await services?.stop();
    await upstream?.close();
    await raw?.close();
  });

  const body = JSON.stringify({ model: 'fake-model', messages: [{ role: 'user', content: 'x'.repeat(2_000) }] });
  const half = body.slice(0, body.length / 2);
  const auth = `Authorization: Bearer ${KEY}\r\n`;
  const sized = `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n`;
  const chunked = 'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n';
  const firstChunk = `${half.length.toString(16)}\r\n${half}\r\n`;

  it.each([
    ['a chat (sized body)', '/v1/chat/completions', sized, half],
    ['a chat (chunked body)', '/v1/chat/completions', chunked, firstChunk],
    ['an Anthropic message', '/v1/messages', `anthropic-version: 2023-06-01\r\n${sized}`, half],
    ['an Ollama chat', '/api/chat', sized, half],
    ['an embedding', '/v1/embeddings', sized, half],
  ])('logs %s whose client left as 499 cancelled, without a failure or a stack', async (_name, path, headers, sent) => {
    const seen = accessLines(services, path).length;
    const received = await leaveMidBody(port, `POST ${path} HTTP/1.1\r\nHost: x\r\n${auth}${headers}`, sent);
    expect(received).toBe('');
    expect(await nextAccessLine(services, path, seen)).toMatchObject({ level: 'info', status: 499, error: 'cancelled', clientClosedEarly: true });
  });

  it('cancels a pass-through request whose client left mid-body: llm-proxy lets go of the upstream call', async () => {
    const received = await leaveMidBody(port, `POST /passthrough/raw/files HTTP/1.1\r\nHost: x\r\n${auth}${sized}`, half, raw.arrived);
    expect(received).toBe('');
    expect(await nextAccessLine(services, '/passthrough/raw/files', 0)).toMatchObject({ level: 'info', status: 499, error: 'cancelled', clientClosedEarly: true });
    expect(raw.ends).toHaveLength(1);
    expect(await raw.ends[0]).toBe(false);
  });

  it('logs no failure, counts no gateway error in /metrics, and serves the next request on a fresh connection', async () => {
    const entries = logEntries(services.gateway.output());
    expect(entries.filter((entry) => entry.level === 'error' || entry.message === 'request failed')).toEqual([]);
    expect(services.gateway.output()).not.toMatch(/\n\s+at /);
    expect(entries.filter((entry) => entry.message === 'request' && entry.status === 502)).toEqual([]);

    const metrics = await (await fetch(`${services.gatewayUrl}/metrics`)).text();
    expect(metrics).not.toMatch(/^nachos_gateway_upstream_errors_total\{/m);
    expect(metrics).not.toMatch(/^nachos_gateway_requests_total\{.*status="5\d\d"/m);

    const answer = await fetch(`${services.gatewayUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', connection: 'close' },
      body,
    });
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { object: string }).object).toBe('chat.completion');
  });
});
