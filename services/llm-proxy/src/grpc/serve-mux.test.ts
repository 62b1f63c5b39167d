import * as grpc from '@grpc/grpc-js';
import type { Logger } from '@nachos/common';
import { ProviderError, type ChatRequest } from '@nachos/plugin-sdk';
import { LlmProxyClient, MUX_COMBINED_METADATA_KEY, MUX_COMBINED_REQUESTS_METADATA_KEY, toProtoChatRequest, type MuxRequest, type MuxResponse } from '@nachos/proto';
import type { ChatEventSink, Router } from '../routing/router.js';
import { HealthState } from './health-service.js';
import { serveMux } from './serve-mux.js';
import { ServedLlmProxyDefinition, type ServedLlmProxyImplementation } from './served-service-definition.js';

/**
 * The server half of the `Mux` frame protocol over a real gRPC connection, with a router that plays
 * scripted answers: per-call credit, ordering, cancellation, deadlines and the drain.
 */

const silent = { info() {}, warn() {}, error() {}, debug() {}, log() {}, isLevelEnabled: () => false } as unknown as Logger;
const pulls = new Map<string, number>();
const cancelledModels: string[] = [];

/** `count-N` streams N tokens as fast as it is pulled; `fail` fails before any event; `hang` never answers. */
const router = {
  async chat(request: ChatRequest, call: { signal: AbortSignal; allowedModels?: readonly string[] }, emit: ChatEventSink): Promise<void> {
    if (request.model === 'fail') throw new ProviderError({ kind: 'rate_limited', message: 'slow down', retryAfterMs: 1_500 });
    if (request.model === 'policy') {
      await emit({ type: 'start', id: 'x', model: JSON.stringify(call.allowedModels ?? null) });
      return;
    }
    if (request.model === 'hang') {
      await new Promise<void>((resolve) => call.signal.addEventListener('abort', () => resolve(), { once: true }));
      cancelledModels.push(request.model);
      return;
    }
    const count = Number(request.model.split('-')[1]);
    await emit({ type: 'start', id: 'x', model: request.model });
    for (let index = 0; index < count; index += 1) {
      pulls.set(request.model, index + 1);
      // One token per turn, as a network stream delivers them, so each one is its own batch.
      await new Promise((resolve) => setImmediate(resolve));
      if (call.signal.aborted) {
        cancelledModels.push(request.model);
        return;
      }
      await emit({ type: 'text-delta', text: `${index} ` });
    }
    await emit({ type: 'finish', reason: 'stop' });
  },
} as unknown as Router;

const health = new HealthState();
let server: grpc.Server;
let client: LlmProxyClient;

beforeAll(async () => {
  server = new grpc.Server();
  server.addService(ServedLlmProxyDefinition, { mux: (stream) => serveMux(stream, { router, defaults: { maxTokens: null, temperature: null }, logger: silent, health }) } as ServedLlmProxyImplementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  client = new LlmProxyClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
});

afterAll(() => {
  client.close();
  server.forceShutdown();
});

function open(stream: grpc.ClientDuplexStream<unknown, MuxResponse>, callId: number, model: string, credit: number, extra: Partial<MuxRequest['frame'] & object> = {}) {
  stream.write({ callId, frame: { case: 'open', value: { request: toProtoChatRequest({ model, messages: [], sampling: {}, stream: true }), requestId: `r-${callId}`, credit, ...extra } } });
}

/** Collects every frame per call id until `done` says enough. */
function collect(stream: grpc.ClientDuplexStream<unknown, MuxResponse>, done: (frames: Map<number, MuxResponse[]>) => boolean): Promise<Map<number, MuxResponse[]>> {
  const frames = new Map<number, MuxResponse[]>();
  return new Promise((resolve, reject) => {
    const onData = (frame: MuxResponse) => {
      frames.set(frame.callId, [...(frames.get(frame.callId) ?? []), frame]);
      if (done(frames)) {
        stream.off('data', onData);
        resolve(frames);
      }
    };
    stream.on('data', onData);
    stream.on('error', reject);
  });
}

const texts = (frames: MuxResponse[] = []) =>
  frames.flatMap((frame) => (frame.frame.case === 'events' ? frame.frame.value.events : [])).flatMap((event) => (event.event.case === 'textDelta' ? [event.event.value.text] : []));
const statusOf = (frames: MuxResponse[] = []) => frames.find((frame) => frame.frame.case === 'status')?.frame.value as { errorKind: string; message: string; retryAfterMs?: number } | undefined;

describe('Mux server', () => {
  it('runs calls side by side, each in order and ended by exactly one status', async () => {
    const stream = client.mux();
    const done = collect(stream, (frames) => [1, 2, 3].every((id) => statusOf(frames.get(id))));
    open(stream, 1, 'count-20', 100);
    open(stream, 2, 'count-5', 100);
    open(stream, 3, 'fail', 100);
    const frames = await done;
    expect(texts(frames.get(1))).toEqual(Array.from({ length: 20 }, (_, index) => `${index} `));
    expect(texts(frames.get(2))).toEqual(['0 ', '1 ', '2 ', '3 ', '4 ']);
    for (const id of [1, 2]) expect(statusOf(frames.get(id))).toMatchObject({ errorKind: '' });
    expect(statusOf(frames.get(3))).toMatchObject({ errorKind: 'rate_limited', message: 'slow down', retryAfterMs: 1_500 });
    for (const id of [1, 2, 3]) expect(frames.get(id)?.filter((frame) => frame.frame.case === 'status')).toHaveLength(1);
    // A gateway that did not ask for combined messages gets none.
    for (const id of [1, 2, 3]) expect(frames.get(id)?.every((frame) => frame.combined.length === 0)).toBe(true);
    stream.end();
  });

  it('says in its headers that it reads combined messages, and runs every call one carries, in order', async () => {
    const stream = client.mux();
    const headers = new Promise<grpc.Metadata>((resolve) => stream.once('metadata', resolve));
    const done = collect(stream, (frames) => [1, 2, 3].every((id) => statusOf(frames.get(id))));
    const openFrame = (callId: number, model: string) => ({ callId, frame: { case: 'open' as const, value: { request: toProtoChatRequest({ model, messages: [], sampling: {}, stream: true }), requestId: `r-${callId}`, credit: 100 } } });
    stream.write({ combined: [openFrame(1, 'count-3'), openFrame(2, 'count-2'), openFrame(3, 'fail')] });
    expect((await headers).get(MUX_COMBINED_REQUESTS_METADATA_KEY)).toEqual(['1']);
    const frames = await done;
    expect(texts(frames.get(1))).toEqual(['0 ', '1 ', '2 ']);
    expect(texts(frames.get(2))).toEqual(['0 ', '1 ']);
    for (const id of [1, 2]) expect(statusOf(frames.get(id))).toMatchObject({ errorKind: '' });
    expect(statusOf(frames.get(3))).toMatchObject({ errorKind: 'rate_limited', message: 'slow down' });
    stream.end();
  });

  it('sends the frames of one turn as one message to a gateway that asks, each call in order', async () => {
    const metadata = new grpc.Metadata();
    metadata.set(MUX_COMBINED_METADATA_KEY, '1');
    const stream = client.mux(metadata);
    const messages: MuxResponse[] = [];
    const frames = new Map<number, MuxResponse[]>();
    const done = new Promise<void>((resolve, reject) => {
      stream.on('data', (message: MuxResponse) => {
        messages.push(message);
        for (const frame of message.combined.length > 0 ? message.combined : [message]) frames.set(frame.callId, [...(frames.get(frame.callId) ?? []), frame]);
        if ([1, 2, 3].every((id) => statusOf(frames.get(id)))) resolve();
      });
      stream.on('error', reject);
    });
    open(stream, 1, 'count-20', 100);
    open(stream, 2, 'count-20', 100);
    open(stream, 3, 'fail', 100);
    await done;
    for (const id of [1, 2]) {
      expect(texts(frames.get(id))).toEqual(Array.from({ length: 20 }, (_, index) => `${index} `));
      expect(statusOf(frames.get(id))).toMatchObject({ errorKind: '' });
      expect(frames.get(id)?.at(-1)?.frame.case).toBe('status');
    }
    expect(statusOf(frames.get(3))).toMatchObject({ errorKind: 'rate_limited', message: 'slow down', retryAfterMs: 1_500 });
    // The two streams' tokens leave in the same turns: far fewer messages than frames.
    const frameCount = [...frames.values()].reduce((sum, list) => sum + list.length, 0);
    expect(messages.some((message) => new Set(message.combined.map((frame) => frame.callId)).size > 1)).toBe(true);
    expect(messages.length).toBeLessThan(frameCount);
    stream.end();
  });

  it('sends the status of a call that ends in the turn of its last events in the same message as them', async () => {
    const metadata = new grpc.Metadata();
    metadata.set(MUX_COMBINED_METADATA_KEY, '1');
    const stream = client.mux(metadata);
    const messages: MuxResponse[] = [];
    const done = new Promise<void>((resolve, reject) => {
      stream.on('data', (message: MuxResponse) => {
        messages.push(message);
        if ((message.combined.length > 0 ? message.combined : [message]).some((frame) => frame.frame.case === 'status')) resolve();
      });
      stream.on('error', reject);
    });
    // A whole answer at once, as a non-streaming upstream gives it: one message for the call.
    open(stream, 1, 'count-0', 100);
    await done;
    expect(messages).toHaveLength(1);
    expect(messages[0]?.combined.map((frame) => frame.frame.case)).toEqual(['events', 'status']);
    expect(statusOf(messages[0]?.combined)).toMatchObject({ errorKind: '' });
    stream.end();
  });

  it('sends no more batches than the credit allows and stops pulling from the upstream until more comes', async () => {
    const stream = client.mux();
    let received = 0;
    const first = collect(stream, (frames) => (received = frames.get(1)?.length ?? 0) >= 3);
    open(stream, 1, 'count-600', 3);
    await first;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received).toBe(3);
    // At most one more batch (256 events) waits for credit; the upstream is not read past it.
    expect(pulls.get('count-600')).toBeLessThanOrEqual(3 + 256 + 1);
    const rest = collect(stream, (frames) => statusOf(frames.get(1)) !== undefined);
    stream.write({ callId: 1, frame: { case: 'credit', value: 100_000 } });
    const frames = await rest;
    expect(statusOf(frames.get(1))).toMatchObject({ errorKind: '' });
    expect(pulls.get('count-600')).toBe(600);
    stream.end();
  });

  it('aborts the upstream of a cancelled call and sends it nothing more, leaving the others alone', async () => {
    const stream = client.mux();
    const done = collect(stream, (frames) => statusOf(frames.get(2)) !== undefined);
    open(stream, 1, 'hang', 10);
    open(stream, 2, 'count-3', 10);
    stream.write({ callId: 1, frame: { case: 'cancel', value: true } });
    const frames = await done;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(cancelledModels).toContain('hang');
    expect(frames.get(1)).toBeUndefined();
    expect(texts(frames.get(2))).toEqual(['0 ', '1 ', '2 ']);
    stream.end();
  });

  it('ends a call whose deadline passes with a timeout status', async () => {
    const stream = client.mux();
    const done = collect(stream, (frames) => statusOf(frames.get(7)) !== undefined);
    open(stream, 7, 'hang', 10, { timeoutMs: 100 } as never);
    const frames = await done;
    expect(statusOf(frames.get(7))).toMatchObject({ errorKind: 'timeout' });
    stream.end();
  });

  it('carries the caller policy in the open frame', async () => {
    const stream = client.mux();
    const done = collect(stream, (frames) => statusOf(frames.get(1)) !== undefined);
    open(stream, 1, 'policy', 10, { caller: { allowedModels: ['gpt-4o*'], restricted: true, clientHeaders: {} } } as never);
    const frames = await done;
    const start = frames.get(1)?.[0]?.frame.value as { events: Array<{ event: { value: { model: string } } }> };
    expect(JSON.parse(start.events[0]?.event.value.model ?? '')).toEqual(['gpt-4o*']);
    stream.end();
  });

  it('lets running calls finish on drain, refuses new ones as unavailable, then ends the stream', async () => {
    const stream = client.mux();
    const ended = new Promise<void>((resolve) => stream.on('end', () => resolve()));
    const first = collect(stream, (frames) => (frames.get(1)?.length ?? 0) >= 1);
    open(stream, 1, 'count-50', 1);
    await first;
    health.setNotServing();
    const refused = collect(stream, (frames) => statusOf(frames.get(2)) !== undefined && statusOf(frames.get(1)) !== undefined);
    open(stream, 2, 'count-1', 10);
    stream.write({ callId: 1, frame: { case: 'credit', value: 1_000 } });
    const frames = await refused;
    expect(statusOf(frames.get(2))).toMatchObject({ errorKind: 'unavailable' });
    expect(statusOf(frames.get(1))).toMatchObject({ errorKind: '' });
    await ended;
  });
});
