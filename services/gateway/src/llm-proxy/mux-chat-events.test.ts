import { ProviderError, type StreamEvent } from '@nachos/plugin-sdk';
import { CANCELLED, MuxChat, type MuxChatHost } from './mux-chat.js';
import { MuxChatEvents, type MuxChatRun } from './mux-chat-events.js';
import { MuxPool } from './mux-pool.js';

const text = (value: string): StreamEvent => ({ type: 'text-delta', text: value });

/** A run whose call is a real MuxChat on a host that records what the gateway would tell llm-proxy. */
function scripted(options: { legacy?: boolean; perCall?: StreamEvent[] } = {}) {
  const chat = new MuxChat(new Uint8Array());
  const told: string[] = [];
  const host: MuxChatHost = { credit: (_id, batches) => told.push(`credit ${batches}`), cancel: () => told.push('cancel') };
  chat.attach(host, 1);
  let started = 0;
  let released = 0;
  const perCallEvents = options.perCall ?? [];
  const run: MuxChatRun = {
    start: () => {
      started += 1;
      return options.legacy ? undefined : { chat, release: () => (released += 1) };
    },
    perCall: async function* () {
      yield* perCallEvents;
    },
  };
  return { chat, told, run, counts: () => ({ started, released }) };
}

async function drain(events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const seen: StreamEvent[] = [];
  for await (const event of events) seen.push(event);
  return seen;
}

describe('MuxChatEvents', () => {
  it('starts nothing before the first pull, then hands over every event of every batch in order', async () => {
    const { chat, run, counts } = scripted();
    const events = new MuxChatEvents(run);
    expect(counts()).toEqual({ started: 0, released: 0 });
    chat.deliver([text('a'), text('b')]);
    chat.deliver([]);
    chat.deliver([text('c')]);
    chat.finish();
    expect(await drain(events)).toEqual([text('a'), text('b'), text('c')]);
    expect(counts()).toEqual({ started: 1, released: 1 });
    expect(await events.next()).toEqual({ done: true, value: undefined });
  });

  it('waits for batches that have not arrived yet', async () => {
    const { chat, run } = scripted();
    const events = new MuxChatEvents(run);
    const first = events.next();
    chat.deliver([text('late')]);
    expect(await first).toEqual({ done: false, value: text('late') });
    const second = events.next();
    chat.finish();
    expect(await second).toEqual({ done: true, value: undefined });
  });

  it('keeps waiting past an empty batch, and fails a wait when the call fails while it waits', async () => {
    const { chat, run } = scripted();
    const events = new MuxChatEvents(run);
    const first = events.next();
    chat.deliver([]);
    chat.deliver([text('after the empty one')]);
    expect(await first).toEqual({ done: false, value: text('after the empty one') });
    const second = events.next();
    const failure = new ProviderError({ kind: 'unavailable', message: 'gone' });
    chat.finish(failure);
    await expect(second).rejects.toBe(failure);
    expect(await events.next()).toEqual({ done: true, value: undefined });
  });

  it('throws the call’s failure once its events are taken, and is done after it', async () => {
    const { chat, run, counts } = scripted();
    const events = new MuxChatEvents(run);
    const failure = new ProviderError({ kind: 'unavailable', message: 'gone' });
    chat.deliver([text('a')]);
    chat.finish(failure);
    expect(await events.next()).toEqual({ done: false, value: text('a') });
    await expect(events.next()).rejects.toBe(failure);
    expect(await events.next()).toEqual({ done: true, value: undefined });
    expect(counts().released).toBe(1);
  });

  it('cancels the call when its consumer stops early, and only once it has started', async () => {
    const unstarted = scripted();
    await new MuxChatEvents(unstarted.run).return();
    expect(unstarted.counts()).toEqual({ started: 0, released: 0 });
    expect(unstarted.told).toEqual([]);

    const { chat, run, told, counts } = scripted();
    const events = new MuxChatEvents(run);
    chat.deliver([text('a'), text('b')]);
    expect(await events.next()).toEqual({ done: false, value: text('a') });
    expect(await events.return()).toEqual({ done: true, value: undefined });
    expect(told).toEqual(['cancel']);
    expect(counts().released).toBe(1);
    expect(chat.ended).toBe(true);
    expect(await events.next()).toEqual({ done: true, value: undefined });
  });

  it('goes on as one call of its own when llm-proxy turns out to have no Mux method', async () => {
    const { chat, run, counts } = scripted({ perCall: [text('x'), text('y')] });
    const events = new MuxChatEvents(run);
    chat.finish(MuxPool.FALLBACK);
    expect(await drain(events)).toEqual([text('x'), text('y')]);
    expect(counts()).toEqual({ started: 1, released: 1 });
  });

  it('runs as one call of its own from the start when llm-proxy is known to predate Mux', async () => {
    const { run, counts } = scripted({ legacy: true, perCall: [text('x')] });
    expect(await drain(new MuxChatEvents(run))).toEqual([text('x')]);
    expect(counts()).toEqual({ started: 1, released: 0 });
  });

  it('is cancelled with the shared cancellation, which its consumer sees as the failure', async () => {
    const { chat, run } = scripted();
    const events = new MuxChatEvents(run);
    const pending = events.next();
    chat.cancel(CANCELLED);
    await expect(pending).rejects.toBe(CANCELLED);
  });
});
