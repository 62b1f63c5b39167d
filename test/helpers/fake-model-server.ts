import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type FakeServerKind = 'ollama' | 'openai';

export interface FakeModelServerOptions {
  /** `ollama` answers `/api/tags` and `/api/chat`; `openai` answers `/v1/models` and `/v1/chat/completions`. */
  kind: FakeServerKind;
  models: string[];
  /** What the model says. */
  reply: string;
  /** `owned_by` in the `/v1/models` listing (`vllm` and LM Studio's `organization_owner` tell the kind apart). */
  ownedBy?: string;
  /** Listen on this port (to come back where a stopped server was); a free one by default. */
  port?: number;
}

export interface FakeModelServer {
  port: number;
  /** Paths requested so far, in order. */
  paths: string[];
  stop: () => Promise<void>;
}

/**
 * A local model server as discovery finds it: Ollama's native API or an OpenAI-compatible one (LM Studio,
 * vLLM, LiteLLM), listing `models` and answering every chat with `reply`, streamed or not.
 */
export async function startFakeModelServer(options: FakeModelServerOptions): Promise<FakeModelServer> {
  const paths: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((request, response) => {
    paths.push(request.url ?? '');
    let raw = '';
    request.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    request.on('end', () => (options.kind === 'ollama' ? answerOllama : answerOpenAI)(request, response, raw, options));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    paths,
    stop: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function answerOllama(request: IncomingMessage, response: ServerResponse, raw: string, options: FakeModelServerOptions): void {
  if (request.method === 'GET' && request.url === '/api/tags') {
    const models = options.models.map((name) => ({ name, model: name, modified_at: '2026-01-01T00:00:00Z', size: 1, digest: 'abc', details: { family: 'llama' } }));
    return json(response, 200, { models });
  }
  if (request.method === 'POST' && request.url === '/api/chat') {
    const body = JSON.parse(raw || '{}') as { model?: string; stream?: boolean };
    const done = { model: body.model, created_at: '2026-01-01T00:00:00Z', message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop', prompt_eval_count: 3, eval_count: 2 };
    const content = { model: body.model, created_at: '2026-01-01T00:00:00Z', message: { role: 'assistant', content: options.reply }, done: false };
    if (body.stream === false) return json(response, 200, { ...done, message: { role: 'assistant', content: options.reply } });
    response.writeHead(200, { 'content-type': 'application/x-ndjson' });
    response.end(`${JSON.stringify(content)}\n${JSON.stringify(done)}\n`);
    return;
  }
  json(response, 404, { error: 'not found' });
}

function answerOpenAI(request: IncomingMessage, response: ServerResponse, raw: string, options: FakeModelServerOptions): void {
  if (request.method === 'GET' && request.url === '/v1/models') {
    return json(response, 200, { object: 'list', data: options.models.map((id) => ({ id, object: 'model', created: 1700000000, owned_by: options.ownedBy ?? 'openai' })) });
  }
  if (request.method === 'POST' && request.url === '/v1/chat/completions') {
    const body = JSON.parse(raw || '{}') as { model?: string; stream?: boolean };
    const chunk = (delta: object, finish: string | null) =>
      `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1700000000, model: body.model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    if (!body.stream) {
      return json(response, 200, {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        created: 1700000000,
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content: options.reply }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
      });
    }
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.end(`${chunk({ role: 'assistant', content: options.reply }, null)}${chunk({}, 'stop')}data: [DONE]\n\n`);
    return;
  }
  json(response, 404, { error: { message: 'not found' } });
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
