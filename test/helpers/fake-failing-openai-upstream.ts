import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** Answers every chat with a 500 before any byte of an answer. */
export const FAILS_AT_ONCE = 'fails-at-once';
/** Streams a few words, then drops the connection without finishing. */
export const FAILS_MID_STREAM = 'fails-mid-stream';

export interface FakeFailingUpstream {
  url: string;
  /** Chat requests received, so a test can tell whether a failure cost an upstream call. */
  chatRequests: number;
  close: () => Promise<void>;
}

/**
 * A real OpenAI-compatible upstream that fails on purpose, for tests of how a client surface reports a
 * provider failure before and after the first byte. `GET /v1/models` lists both failing models.
 */
export async function startFailingOpenAIUpstream(): Promise<FakeFailingUpstream> {
  const sockets = new Set<Socket>();
  const state = { chatRequests: 0 };
  const server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    request.on('end', () => {
      if (request.method === 'GET' && request.url === '/v1/models') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ object: 'list', data: [FAILS_AT_ONCE, FAILS_MID_STREAM].map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'fake' })) }));
        return;
      }
      state.chatRequests += 1;
      const model = String((JSON.parse(raw || '{}') as { model?: unknown }).model ?? '');
      if (model === FAILS_MID_STREAM) {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        for (const word of ['Half', ' an']) {
          const chunk = { id: 'chatcmpl-broken', object: 'chat.completion.chunk', created: 1_700_000_000, model, choices: [{ index: 0, delta: { content: word }, finish_reason: null }] };
          response.write(`data: ${JSON.stringify(chunk)}\n\n`);
        }
        setTimeout(() => response.socket?.destroy(), 50);
        return;
      }
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: 'the upstream is on fire', type: 'server_error' } }));
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
    get chatRequests() {
      return state.chatRequests;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
