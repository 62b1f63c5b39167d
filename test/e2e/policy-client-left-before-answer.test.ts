import { request as httpRequest } from 'node:http';
import { logEntries, type LogEntry } from '../helpers/log-entries.js';
import { deltaChunk, startScriptedOpenAIUpstream, type ChatReply, type ScriptedOpenAIUpstream } from '../helpers/scripted-openai-upstream.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';
import { writeConfigFile } from '../helpers/write-config-file.js';

const KEY = 'sk-gw-left-before-answer-8d41';

/** The upstream is still thinking: it has the request and answers nothing. */
const thinking: ChatReply = () => {};

/** The upstream has sent its first token and then thinks on. */
const firstTokenOnly: ChatReply = (_request, response) => {
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  const frame = { id: 'chatcmpl-left', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'fake-model', ...deltaChunk({ role: 'assistant', content: 'partial' }) };
  response.write(`data: ${JSON.stringify(frame)}\n\n`);
};

/** Each chat protocol's request for one answer, streamed or not. */
const PROTOCOLS = {
  'OpenAI chat completions': (stream: boolean) => ({ path: '/v1/chat/completions', headers: {}, body: { model: 'fake-model', messages: [{ role: 'user', content: 'hi' }], stream } }),
  'OpenAI Responses': (stream: boolean) => ({ path: '/v1/responses', headers: {}, body: { model: 'fake-model', input: 'hi', stream } }),
  'Anthropic messages': (stream: boolean) => ({
    path: '/v1/messages',
    headers: { 'anthropic-version': '2023-06-01' },
    body: { model: 'fake-model', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }], stream },
  }),
  'Ollama chat': (stream: boolean) => ({ path: '/api/chat', headers: {}, body: { model: 'fake-model', messages: [{ role: 'user', content: 'hi' }], stream } }),
};
type Protocol = keyof typeof PROTOCOLS;

interface Left {
  requestId: string;
  /** What reached the client before it left. */
  received: string;
}

/**
 * Sends a whole request, then closes its connection once `leaveWhen` says so (given what has come back so
 * far), with the answer still unfinished.
 */
function sendThenLeave(baseUrl: string, protocol: Protocol, stream: boolean, requestId: string, leaveWhen: (received: string) => boolean | Promise<boolean>): Promise<Left> {
  const { path, headers, body } = PROTOCOLS[protocol](stream);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    let received = '';
    const request = httpRequest(`${baseUrl}${path}`, {
      method: 'POST',
      agent: false,
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), 'x-request-id': requestId, ...headers },
    });
    const check = async () => {
      if (request.destroyed) return;
      if (await leaveWhen(received)) {
        request.destroy();
        resolve({ requestId, received });
      } else setTimeout(() => void check(), 20);
    };
    request.on('response', (response) => {
      response.on('data', (chunk: Buffer) => (received += chunk.toString()));
      response.on('end', () => reject(new Error(`the answer finished before the client left: ${received}`)));
    });
    request.on('error', () => {});
    request.end(payload, () => void check());
  });
}

async function waitFor<T>(read: () => T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`no ${what} within 5 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function entriesFor(services: RunningServices, requestId: string, message: string): LogEntry[] {
  return logEntries(services.gateway.output()).filter((entry) => entry.message === message && (entry.requestId ?? entry.request_id) === requestId);
}

/**
 * A client that sends its whole request and leaves before its answer is complete (issue #14): still thinking
 * upstream, before the first token of a stream, or mid-stream. It ended its own request, as one that leaves
 * mid-body does: the access line says 499 `cancelled` with clientClosedEarly, the upstream call is
 * cancelled, the usage record and /metrics count it cancelled, and nothing is logged as a gateway failure.
 * An answer written out in full stays a 200.
 */
describe('a client that leaves before its answer', () => {
  let upstream: ScriptedOpenAIUpstream;
  let services: RunningServices;
  let serial = 0;

  beforeAll(async () => {
    upstream = await startScriptedOpenAIUpstream(['fake-model']);
    services = await startServices({
      NACHOS_CONFIG: writeConfigFile('[[usage.reporters]]\nname = "audit"\ntype = "log"\n'),
      NACHOS_API_KEYS: KEY,
      LLM_PROXY_LOCAL_DISCOVERY: '0',
      LLM_PROXY_ENDPOINT_X_URL: upstream.url,
      LLM_PROXY_ENDPOINT_X_MODELS: 'fake-model',
    });
  });

  afterAll(async () => {
    await services?.stop();
    await upstream?.close();
  });

  /** Leaves as `leaveWhen` says, then checks what the gateway, the upstream and the meter made of it. */
  async function expectCancelled(protocol: Protocol, stream: boolean, reply: ChatReply, leaveWhen: (received: string) => boolean): Promise<void> {
    upstream.reply = reply;
    const requestsBefore = upstream.requests.length;
    const closedBefore = upstream.closedEarly;
    const requestId = `left-${(serial += 1)}`;
    await sendThenLeave(services.gatewayUrl, protocol, stream, requestId, (received) => upstream.requests.length > requestsBefore && leaveWhen(received));
    const line = await waitFor(() => entriesFor(services, requestId, 'request')[0], 'access line');
    expect(line).toMatchObject({ level: 'info', status: 499, error: 'cancelled', clientClosedEarly: true });
    const record = await waitFor(() => entriesFor(services, requestId, 'usage')[0], 'usage record');
    expect(record).toMatchObject({ outcome: 'cancelled', status: 499, error_kind: 'cancelled', is_stream: stream });
    await waitFor(() => (upstream.closedEarly > closedBefore ? true : undefined), 'cancelled upstream call');
    expect(entriesFor(services, requestId, 'request')).toHaveLength(1);
  }

  const protocols = Object.keys(PROTOCOLS) as Protocol[];

  it.each(protocols)('%s, not streaming: leaves while the upstream is still thinking', async (protocol) => {
    await expectCancelled(protocol, false, thinking, () => true);
  });

  it.each(protocols)('%s, streaming: leaves before the first token', async (protocol) => {
    await expectCancelled(protocol, true, thinking, () => true);
  });

  it.each(protocols)('%s, streaming: leaves mid-stream', async (protocol) => {
    await expectCancelled(protocol, true, firstTokenOnly, (received) => received.includes('partial'));
  });

  it('keeps a 200 for an answer written out in full, and counts the rest as cancelled in /metrics with no gateway failure', async () => {
    upstream.reply = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ id: 'chatcmpl-whole', object: 'chat.completion', created: 1_700_000_000, model: 'fake-model', choices: [{ index: 0, message: { role: 'assistant', content: 'whole' }, finish_reason: 'stop' }] }));
    };
    const answered = await fetch(`${services.gatewayUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', 'x-request-id': 'answered-whole' },
      body: JSON.stringify({ model: 'fake-model', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(answered.status).toBe(200);
    await answered.json();
    expect(await waitFor(() => entriesFor(services, 'answered-whole', 'request')[0], 'access line')).toMatchObject({ status: 200, clientClosedEarly: false });

    const entries = logEntries(services.gateway.output());
    expect(entries.filter((entry) => entry.level === 'error' || entry.message === 'request failed')).toEqual([]);
    expect(services.gateway.output()).not.toMatch(/\n\s+at /);
    const metrics = await (await fetch(`${services.gatewayUrl}/metrics`)).text();
    expect(metrics).not.toMatch(/^nachos_gateway_requests_total\{.*status="200",outcome="cancelled"\}/m);
    expect(metrics).toMatch(/^nachos_gateway_requests_total\{.*status="499",outcome="cancelled"\} \d+$/m);
    expect(metrics).not.toMatch(/^nachos_gateway_upstream_errors_total\{/m);
  });
});
