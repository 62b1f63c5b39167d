import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import type { Response } from 'express';
import type { ChatRequest, StreamEvent } from '@nachos/plugin-sdk';
import { MuxChat } from '../llm-proxy/mux-chat.js';
import { MuxChatEvents } from '../llm-proxy/mux-chat-events.js';
import { runChatExchange } from './chat-exchange.js';
import { OpenAIChatStreamEncoder } from './openai/openai-chat-stream-encoder.js';

/** A chat's events as the exchange gets them from llm-proxy: a real `MuxChat`, its batches delivered by the test. */
function muxChat(): { chat: MuxChat; events: MuxChatEvents } {
  const chat = new MuxChat(new Uint8Array());
  chat.attach({ credit: () => {}, cancel: () => {} }, 1);
  return { chat, events: new MuxChatEvents({ start: () => ({ chat, release: () => {} }), perCall: () => (async function* () {})() }) };
}

/** The body chunks of a chunked HTTP response, as they come over a raw socket, each one whole. */
function readChunks(port: number): { chunks: string[]; ended: Promise<void>; received: (count: number) => Promise<void> } {
  const chunks: string[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let text = '';
  let body: number | undefined;
  let finish: () => void = () => {};
  const ended = new Promise<void>((resolve) => (finish = resolve));
  const socket = connect(port, '127.0.0.1', () => {
    socket.write('POST /chat HTTP/1.1\r\nhost: test\r\ncontent-length: 0\r\n\r\n');
  });
  socket.setEncoding('latin1');
  socket.on('data', (data: string) => {
    text += data;
    if (body === undefined) {
      const headersEnd = text.indexOf('\r\n\r\n');
      if (headersEnd < 0) return;
      body = headersEnd + 4;
    }
    for (;;) {
      const sizeEnd = text.indexOf('\r\n', body);
      if (sizeEnd < 0) break;
      const size = parseInt(text.slice(body, sizeEnd), 16);
      if (text.length < sizeEnd + 2 + size + 2) break;
      body = sizeEnd + 2 + size + 2;
      if (size === 0) {
        socket.end();
        finish();
        break;
      }
      chunks.push(text.slice(sizeEnd + 2, sizeEnd + 2 + size));
      for (const waiter of waiters.filter(({ count }) => chunks.length >= count)) waiter.resolve();
    }
  });
  const received = (count: number) =>
    chunks.length >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve }));
  return { chunks, ended, received };
}

const REQUEST = { model: 'm', messages: [], sampling: {}, stream: true } as unknown as ChatRequest;
const START: StreamEvent = { type: 'start', id: 'up', model: 'm', provider: 'p', endpoint: 'e', attempts: 1 };
const text = (value: string): StreamEvent => ({ type: 'text-delta', text: value });
/** One chunk frame of the response whose id is `id` (the encoder makes it up from the upstream's). */
const frame = (id: string, delta: string, finish = 'null') =>
  `data: {"id":"${id}","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${finish}}]}\n\n`;

describe('chat exchange, streaming', () => {
  let server: Server;
  let chat: MuxChat;
  let exchanged: Promise<void>;

  beforeEach(async () => {
    const call = muxChat();
    chat = call.chat;
    server = createServer((_request, response) => {
      const httpResponse = Object.assign(response, { locals: { requestId: 'req-1' } }) as unknown as Response;
      exchanged = runChatExchange(httpResponse, {
        client: { chat: () => call.events, streamStallMs: 0 },
        request: REQUEST,
        encoder: () => new OpenAIChatStreamEncoder({ upstreamId: 'up', model: 'm', created: 1, includeUsage: false }),
        respond: () => ({}),
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('writes the events of a batch from llm-proxy as one chunk, and each later batch as its own', async () => {
    chat.deliver([START, text('Hel'), text('lo')]);
    const client = readChunks((server.address() as AddressInfo).port);
    await client.received(1);
    const id = /"id":"(chatcmpl-[^"]+)"/.exec(client.chunks[0]!)?.[1] ?? 'no id';
    expect(client.chunks).toEqual([frame(id, '{"role":"assistant","content":""}') + frame(id, '{"content":"Hel"}') + frame(id, '{"content":"lo"}')]);

    chat.deliver([text(', world')]);
    await client.received(2);
    expect(client.chunks[1]).toBe(frame(id, '{"content":", world"}'));

    chat.deliver([{ type: 'finish', reason: 'stop' }, text('')]);
    chat.finish();
    await client.ended;
    await exchanged;
    expect(client.chunks.slice(2)).toEqual([frame(id, '{}', '"stop"'), 'data: [DONE]\n\n']);
  });
});
