import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { RecordedRequest } from './fake-openai-upstream.js';

/** Answers one chat-completions request; tests swap it between cases. */
export type ChatReply = (request: RecordedRequest, response: ServerResponse) => void | Promise<void>;

export interface ScriptedOpenAIUpstream {
  url: string;
  requests: RecordedRequest[];
  /** How the next `POST /v1/chat/completions` is answered. */
  reply: ChatReply;
  /** Responses whose connection closed before the reply had ended. */
  readonly closedEarly: number;
  close: () => Promise<void>;
}

/**
 * A real OpenAI-compatible upstream whose chat answers each test scripts: exact chunk sequences (tool
 * calls, usage after the finish), failures before the first byte, connections dropped mid-stream.
 * Every request is recorded, so a test can check what a client's request became upstream. `keepAliveMs`
 * is how long the server keeps an idle connection, and offers to in its `Keep-Alive` header.
 */
export async function startScriptedOpenAIUpstream(models: string[], { keepAliveMs }: { keepAliveMs?: number } = {}): Promise<ScriptedOpenAIUpstream> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const state = { closedEarly: 0, reply: ((_request, response) => sendJson(response, 500, { error: { message: 'no reply scripted' } })) as ChatReply };

  const server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    request.on('end', () => {
      const recorded: RecordedRequest = {
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body: raw ? (JSON.parse(raw) as unknown) : undefined,
        remotePort: request.socket.remotePort ?? 0,
      };
      requests.push(recorded);
      response.on('close', () => {
        if (!response.writableFinished) state.closedEarly += 1;
      });
      if (request.method === 'GET' && request.url === '/v1/models') {
        sendJson(response, 200, { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'fake' })) });
      } else if (request.method === 'POST' && request.url === '/v1/chat/completions') {
        void state.reply(recorded, response);
      } else {
        sendJson(response, 404, { error: { message: 'not found', type: 'invalid_request_error' } });
      }
    });
  });
  if (keepAliveMs !== undefined) server.keepAliveTimeout = keepAliveMs;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    get reply() {
      return state.reply;
    },
    set reply(reply: ChatReply) {
      state.reply = reply;
    },
    get closedEarly() {
      return state.closedEarly;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/**
 * Streams `chunks` as `chat.completion.chunk` SSE frames (each gets the envelope fields it lacks), then
 * `[DONE]`, or, with `dropAfter`, destroys the connection after that many chunks.
 */
export async function streamChunks(
  response: ServerResponse,
  chunks: Array<Record<string, unknown>>,
  options: { delayMs?: number; dropAfter?: number } = {},
): Promise<void> {
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const [position, chunk] of chunks.entries()) {
    if (response.destroyed) return;
    if (options.dropAfter === position) {
      response.destroy();
      return;
    }
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    response.write(`data: ${JSON.stringify({ id: 'chatcmpl-scripted', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'scripted', ...chunk })}\n\n`);
  }
  response.end('data: [DONE]\n\n');
}

/** One choice delta, as OpenAI streams it. */
export function deltaChunk(delta: Record<string, unknown>, finishReason: string | null = null): Record<string, unknown> {
  return { choices: [{ index: 0, delta, finish_reason: finishReason }] };
}

/**
 * A reply made of `chunks`: streamed when the request asked for a stream, otherwise folded into one
 * `chat.completion` body (content joined, tool-call fragments merged by index, last finish and usage).
 */
export function replyWithChunks(chunks: Array<Record<string, unknown>>, options: { delayMs?: number; dropAfter?: number } = {}): ChatReply {
  return (request, response) => {
    if ((request.body as { stream?: boolean } | undefined)?.stream) return streamChunks(response, chunks, options);
    let content = '';
    let finishReason: unknown = null;
    let usage: unknown;
    const calls: Array<{ id?: string; type: 'function'; function: { name?: string; arguments: string } }> = [];
    for (const chunk of chunks) {
      if (chunk.usage) usage = chunk.usage;
      const choice = (chunk.choices as Array<{ delta: Record<string, unknown>; finish_reason: unknown }>)[0];
      if (!choice) continue;
      if (choice.finish_reason) finishReason = choice.finish_reason;
      if (typeof choice.delta.content === 'string') content += choice.delta.content;
      for (const fragment of (choice.delta.tool_calls ?? []) as Array<{ index: number; id?: string; function?: { name?: string; arguments?: string } }>) {
        const call = (calls[fragment.index] ??= { type: 'function', function: { arguments: '' } });
        if (fragment.id) call.id = fragment.id;
        if (fragment.function?.name) call.function.name = fragment.function.name;
        call.function.arguments += fragment.function?.arguments ?? '';
      }
    }
    sendJson(response, 200, {
      id: 'chatcmpl-scripted',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'scripted',
      choices: [{ index: 0, message: { role: 'assistant', content, ...(calls.length > 0 ? { tool_calls: calls } : {}) }, finish_reason: finishReason }],
      ...(usage ? { usage } : {}),
    });
  };
}
