import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as grpc from '@grpc/grpc-js';
import { create } from '@bufbuild/protobuf';
import { ProviderError, type StreamEvent } from '@nachos/plugin-sdk';
import {
  LlmProxyServiceDefinition,
  MUX_COMBINED_REQUESTS_METADATA_KEY,
  MuxResponseSchema,
  fromProtoChatRequest,
  toMuxStatus,
  toProtoChatEvent,
  type LlmProxyImplementation,
  type MuxOpen,
  type MuxRequest,
  type MuxResponse,
} from '@nachos/proto';
import { GatewayError } from '../errors/gateway-error.js';
import { LlmProxyClient } from './llm-proxy-client.js';
import { INITIAL_CREDIT } from './mux-chat.js';

/**
 * The gateway half of the `Mux` frame protocol against a real gRPC server that plays llm-proxy by script.
 * The model names the script: `count-N` sends N one-event batches as credit allows; `hang` sends nothing;
 * `half-N` sends N batches and then its stream dies; `die-N` kills its stream before sending anything the
 * first time, and is `count-N` after that. It reads combined messages, and says so.
 */

interface ServerCall {
  stream: grpc.ServerDuplexStream<MuxRequest, MuxResponse>;
  open: MuxOpen;
  credit: number;
  cancelled: boolean;
  sent: number;
  total: number;
}

const streams: Array<grpc.ServerDuplexStream<MuxRequest, MuxResponse>> = [];
const calls = new Map<string, ServerCall>();
/** Every message that arrived, with the frames it carried. */
const messages: MuxRequest[] = [];
let died = false;

function pump(call: ServerCall, id: number): void {
  while (call.credit > 0 && call.sent < call.total && !call.cancelled) {
    call.credit -= 1;
    call.sent += 1;
    const event: StreamEvent = call.sent === 1 ? { type: 'start', id: 'x', model: call.open.request?.model ?? '' } : { type: 'text-delta', text: String(call.sent) };
    call.stream.write(create(MuxResponseSchema, { callId: id, frame: { case: 'events', value: { events: [toProtoChatEvent(event)] } } }));
  }
  if (call.sent === call.total && !call.cancelled && call.total > 0 && !call.open.request?.model.startsWith('half')) {
    call.stream.write(create(MuxResponseSchema, { callId: id, frame: { case: 'status', value: toMuxStatus() } }));
    call.total = -1;
  }
}

/** Ends a stream with a status the gateway did not expect, as a proxy between the two might. */
function kill(stream: grpc.ServerDuplexStream<MuxRequest, MuxResponse>): void {
  stream.emit('error', Object.assign(new Error('gone'), { code: grpc.status.UNAVAILABLE, details: 'gone' }));
}

const implementation = {
  mux: (stream: grpc.ServerDuplexStream<MuxRequest, MuxResponse>) => {
    streams.push(stream);
    const headers = new grpc.Metadata();
    headers.set(MUX_COMBINED_REQUESTS_METADATA_KEY, '1');
    stream.sendMetadata(headers);
    const own = new Map<number, ServerCall>();
    stream.on('data', (message: MuxRequest) => {
      messages.push(message);
      for (const frame of message.combined.length > 0 ? message.combined : [message]) receive(frame);
    });
    const receive = (frame: MuxRequest): void => {
      if (frame.frame.case === 'open') {
        const open = frame.frame.value;
        const request = fromProtoChatRequest(open.request!);
        const [script, count] = request.model.split('-');
        const call: ServerCall = { stream, open, credit: open.credit, cancelled: false, sent: 0, total: script === 'hang' ? 0 : Number(count) };
        own.set(frame.callId, call);
        calls.set(request.messages[0]?.content[0]?.type === 'text' ? (request.messages[0].content[0] as { text: string }).text : request.model, call);
        if (script === 'die' && !died) {
          died = true;
          kill(stream);
          return;
        }
        pump(call, frame.callId);
        if (script === 'half') setTimeout(() => kill(stream), 50);
      } else if (frame.frame.case === 'credit') {
        const call = own.get(frame.callId);
        if (call) {
          call.credit += frame.frame.value;
          pump(call, frame.callId);
        }
      } else if (frame.frame.case === 'cancel') {
        const call = own.get(frame.callId);
        if (call) call.cancelled = true;
      }
    };
    stream.on('error', () => {});
  },
} as unknown as LlmProxyImplementation;

let server: grpc.Server;
let client: LlmProxyClient;
let address: string;

beforeAll(async () => {
  server = new grpc.Server();
  server.addService(LlmProxyServiceDefinition, implementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  address = `127.0.0.1:${port}`;
  client = new LlmProxyClient(address);
});

afterAll(() => {
  client.close();
  server.forceShutdown();
});

const request = (model: string, tag = model) => ({ model, messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: tag }] }], sampling: {}, stream: true });
const context = (signal = new AbortController().signal, deadline?: number) => ({ requestId: 'req-1', signal, ...(deadline ? { deadline } : {}) });

async function drain(events: AsyncIterable<StreamEvent>): Promise<string[]> {
  const texts: string[] = [];
  for await (const event of events) texts.push(event.type === 'text-delta' ? event.text : event.type);
  return texts;
}

/** V8's collector, for a test that a finished chat leaves nothing behind. */
function collectGarbage(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

describe('Mux client', () => {
  it('runs many chats at once over a few streams, each in order', async () => {
    const results = await Promise.all(Array.from({ length: 40 }, (_, index) => drain(client.chat(request('count-30', `many-${index}`), context()))));
    const expected = ['start', ...Array.from({ length: 29 }, (_, index) => String(index + 2))];
    for (const texts of results) expect(texts).toEqual(expected);
    expect(streams.length).toBeLessThanOrEqual(4);
  });

  it('sends the frames written in one turn as one message per stream to an llm-proxy that reads them', async () => {
    // The pool's streams are open and ready from the test before.
    const before = messages.length;
    const results = await Promise.all(Array.from({ length: 40 }, (_, index) => drain(client.chat(request('count-2', `turn-${index}`), context()))));
    for (const texts of results) expect(texts).toEqual(['start', '2']);
    const opens = messages.slice(before).filter((message) => message.combined.some((frame) => frame.frame.case === 'open'));
    expect(opens.length).toBeLessThanOrEqual(4);
    expect(opens.reduce((sum, message) => sum + message.combined.length, 0)).toBe(40);
  });

  it('gives credit back only as batches are taken, so one reader that stops holds up no other call', async () => {
    const slow = client.chat(request('count-500', 'slow'), context())[Symbol.asyncIterator]();
    await slow.next();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const held = calls.get('slow');
    expect(held?.sent).toBe(INITIAL_CREDIT);
    // Others on the same streams finish while it waits.
    expect(await drain(client.chat(request('count-200', 'fast'), context()))).toHaveLength(200);
    expect(held?.sent).toBe(INITIAL_CREDIT);
    let taken = 1;
    while (!(await slow.next()).done) taken += 1;
    expect(taken).toBe(500);
  });

  it('cancels the call in llm-proxy when the caller goes away', async () => {
    const controller = new AbortController();
    const events = client.chat(request('hang', 'cancel-me'), context(controller.signal))[Symbol.asyncIterator]();
    const next = events.next();
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    await expect(next).rejects.toMatchObject({ kind: 'cancelled' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls.get('cancel-me')?.cancelled).toBe(true);
  });

  it('cancels a call made without a signal when its consumer returns early', async () => {
    const events = client.chat(request('hang', 'return-me'), { requestId: 'req-1' })[Symbol.asyncIterator]();
    const next = events.next();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await events.return?.();
    await expect(next).rejects.toMatchObject({ kind: 'cancelled' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls.get('return-me')?.cancelled).toBe(true);
  });

  it('sends the deadline and ends the call when it passes, even if llm-proxy never answers', async () => {
    const started = Date.now();
    await expect(drain(client.chat(request('hang', 'late'), context(undefined, Date.now() + 300)))).rejects.toMatchObject({ kind: 'timeout' });
    expect(Date.now() - started).toBeLessThan(2_000);
    const call = calls.get('late');
    expect(call?.open.timeoutMs).toBeGreaterThan(0);
    expect(call?.open.timeoutMs).toBeLessThanOrEqual(300);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(call?.cancelled).toBe(true);
  });

  it('fails a call that has shown events with unavailable, once, when its stream breaks', async () => {
    const failures: unknown[] = [];
    const texts: string[] = [];
    try {
      for await (const event of client.chat(request('half-3', 'half'), context())) texts.push(event.type);
    } catch (error) {
      failures.push(error);
    }
    expect(texts).toEqual(['start', 'text-delta', 'text-delta']);
    expect(failures).toHaveLength(1);
    expect(ProviderError.isInstance(failures[0])).toBe(true);
    expect(failures[0]).toMatchObject({ kind: 'unavailable' });
  });

  it('places a call that received nothing on another stream when its own breaks', async () => {
    expect(await drain(client.chat(request('die-1', 'die'), context()))).toEqual(['start']);
    expect(died).toBe(true);
    expect(await drain(client.chat(request('count-3', 'after'), context()))).toEqual(['start', '2', '3']);
  });

  it('refuses a request larger than the seam carries with 413, sending nothing', async () => {
    const before = calls.size;
    const huge = { ...request('count-1', 'huge'), messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'x'.repeat(65 * 1024 * 1024) }] }] };
    const failure = await drain(client.chat(huge, context())).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GatewayError);
    expect(failure).toMatchObject({ status: 413 });
    expect(calls.size).toBe(before);
  });

  it('keeps nothing of the chats that opened its streams once they have ended', async () => {
    const fresh = new LlmProxyClient(address);
    const gc = collectGarbage();
    const chats: Array<WeakRef<object>> = [];
    await Promise.all(
      Array.from({ length: 8 }, async (_, index) => {
        const events = fresh.chat(request('count-2', `opener-${index}`), context());
        chats.push(new WeakRef(events));
        expect(await drain(events)).toEqual(['start', '2']);
      }),
    );
    // A WeakRef holds its target until the turn that made it is over.
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    expect(chats.filter((chat) => chat.deref() !== undefined)).toHaveLength(0);
    fresh.close();
  });
});
