import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
  remotePort: number;
}

export interface FakeUpstreamOptions {
  /** Words streamed one per chunk; a slow stream lets a test cancel mid-way. */
  words?: string[];
  /** Time per word: between chunks of a stream, and spent before a whole answer, as a provider generates it. */
  chunkDelayMs?: number;
  models?: string[];
}

export interface FakeOpenAIUpstream {
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Responses (streamed or whole) whose connection closed before they were complete. */
  abortedStreams: number;
  close: () => Promise<void>;
}

/**
 * A real HTTP server speaking OpenAI chat completions (streaming and not) and `/v1/models`, recording
 * every request so tests can check what reached the upstream: URL, headers (the key), body.
 */
export async function startFakeOpenAIUpstream(options: FakeUpstreamOptions = {}): Promise<FakeOpenAIUpstream> {
  const words = options.words ?? ['Hello', ' from', ' the', ' fake', ' upstream.'];
  const models = options.models ?? ['fake-model'];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const state = { abortedStreams: 0 };

  const server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    request.on('end', () => {
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
      requests.push({
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body,
        remotePort: request.socket.remotePort ?? 0,
      });
      if (request.method === 'GET' && request.url === '/v1/models') {
        json(response, 200, { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 1700000000, owned_by: 'fake' })) });
      } else if (request.method === 'POST' && request.url === '/v1/chat/completions') {
        const model = String(body?.model ?? '');
        if (body?.stream) void stream(response, model, words, options.chunkDelayMs ?? 0, state);
        else void whole(response, model, words, options.chunkDelayMs ?? 0, state);
      } else {
        json(response, 404, { error: { message: 'not found', type: 'invalid_request_error' } });
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    get abortedStreams() {
      return state.abortedStreams;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function completion(model: string, text: string) {
  return {
    id: 'chatcmpl-fake1',
    object: 'chat.completion',
    created: 1700000000,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 7, completion_tokens: 5, total_tokens: 12 },
  };
}

/** A whole answer, sent after the time a provider would take to generate its words. */
async function whole(response: ServerResponse, model: string, words: string[], delayMs: number, state: { abortedStreams: number }): Promise<void> {
  let complete = false;
  response.on('close', () => {
    if (!complete) state.abortedStreams += 1;
  });
  if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs * words.length));
  if (response.destroyed) return;
  complete = true;
  json(response, 200, completion(model, words.join('')));
}

async function stream(response: ServerResponse, model: string, words: string[], delayMs: number, state: { abortedStreams: number }): Promise<void> {
  let complete = false;
  response.on('close', () => {
    if (!complete) state.abortedStreams += 1;
  });
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  const chunk = (delta: Record<string, unknown>, finish: string | null, usage?: unknown) =>
    `data: ${JSON.stringify({ id: 'chatcmpl-fake2', object: 'chat.completion.chunk', created: 1700000000, model, choices: usage ? [] : [{ index: 0, delta, finish_reason: finish }], ...(usage ? { usage } : {}) })}\n\n`;
  response.write(chunk({ role: 'assistant', content: '' }, null));
  for (const word of words) {
    if (response.destroyed) return;
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    response.write(chunk({ content: word }, null));
  }
  response.write(chunk({}, 'stop'));
  response.write(chunk({}, null, { prompt_tokens: 7, completion_tokens: words.length, total_tokens: 7 + words.length }));
  complete = true;
  response.end('data: [DONE]\n\n');
}
