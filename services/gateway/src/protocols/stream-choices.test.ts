import { ProviderError, type ChatRequest, type StreamEvent } from '@nachos/plugin-sdk';
import type { CallContext } from '../llm-proxy/llm-proxy-client.js';
import { streamChoices } from './stream-choices.js';

const REQUEST: ChatRequest = { model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }], sampling: {}, stream: true };

/** A fake llm-proxy whose n-th call runs `scripts[n]`, recording each call's request and signal. */
function fakeClient(scripts: Array<(signal: AbortSignal) => AsyncGenerator<StreamEvent>>) {
  const calls: Array<{ request: ChatRequest; signal: AbortSignal }> = [];
  return {
    calls,
    chat: (request: ChatRequest, context: CallContext) => {
      calls.push({ request, signal: context.signal });
      return scripts[calls.length - 1]!(context.signal);
    },
  };
}

async function* answer(text: string, inputTokens: number): AsyncGenerator<StreamEvent> {
  yield { type: 'start', id: `up-${text}`, model: 'm', provider: 'p', endpoint: 'e' };
  yield { type: 'text-delta', text };
  yield { type: 'finish', reason: 'stop' };
  yield { type: 'usage', usage: { inputTokens, outputTokens: 1 } };
}

/** Yields a start, then waits until its call is cancelled. */
async function* hanging(signal: AbortSignal): AsyncGenerator<StreamEvent> {
  yield { type: 'start', id: 'up-hang', model: 'm' };
  if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
  throw new ProviderError({ kind: 'cancelled', message: 'cancelled' });
}

const context = (): CallContext => ({ requestId: 'r', signal: new AbortController().signal });

async function collect(events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const collected: StreamEvent[] = [];
  for await (const event of events) collected.push(event);
  return collected;
}

describe('streamChoices', () => {
  it('takes every choice from one call when the provider answers them itself', async () => {
    async function* native(): AsyncGenerator<StreamEvent> {
      yield { type: 'start', id: 'up-n', model: 'm', choices: 2 };
      yield { type: 'text-delta', text: 'a' };
      yield { type: 'finish', reason: 'stop' };
      yield { type: 'choice', index: 1 };
      yield { type: 'text-delta', text: 'b' };
      yield { type: 'finish', reason: 'stop' };
      yield { type: 'usage', usage: { inputTokens: 4, outputTokens: 2 } };
    }
    const client = fakeClient([native]);
    const events = await collect(streamChoices(client, REQUEST, context(), 2));
    expect(client.calls.map((call) => call.request.choices)).toEqual([2]);
    expect(events.map((event) => event.type)).toEqual(['start', 'text-delta', 'finish', 'choice', 'text-delta', 'finish', 'usage']);
  });

  it('makes a call per choice otherwise, one start leading, a choice event at each change, the usage summed last', async () => {
    const client = fakeClient([() => answer('a', 2), () => answer('b', 3)]);
    const events = await collect(streamChoices(client, REQUEST, context(), 2));
    expect(client.calls.map((call) => call.request.choices)).toEqual([2, undefined]);
    expect(events[0]).toMatchObject({ type: 'start', id: 'up-a' });
    expect(events.filter((event) => event.type === 'start')).toHaveLength(1);
    let current = 0;
    const texts: Record<number, string> = {};
    const finishes: number[] = [];
    for (const event of events) {
      if (event.type === 'choice') current = event.index;
      if (event.type === 'text-delta') texts[current] = (texts[current] ?? '') + event.text;
      if (event.type === 'finish') finishes.push(current);
    }
    expect(texts).toEqual({ 0: 'a', 1: 'b' });
    expect(finishes.sort()).toEqual([0, 1]);
    expect(events.at(-1)).toEqual({ type: 'usage', usage: { inputTokens: 5, outputTokens: 2 } });
  });

  it('fails with the first failure after the start and cancels the other calls', async () => {
    async function* failing(): AsyncGenerator<StreamEvent> {
      yield { type: 'start', id: 'up-fail', model: 'm' };
      yield { type: 'text-delta', text: 'half' };
      throw new ProviderError({ kind: 'unavailable', message: 'upstream went away' });
    }
    const client = fakeClient([failing, hanging]);
    const seen: StreamEvent[] = [];
    const run = async () => {
      for await (const event of streamChoices(client, REQUEST, context(), 2)) seen.push(event);
    };
    await expect(run()).rejects.toMatchObject({ kind: 'unavailable' });
    expect(seen[0]).toMatchObject({ type: 'start' });
    expect(client.calls.every((call) => call.signal.aborted)).toBe(true);
  });

  it("cancels every call when the client's signal aborts", async () => {
    const outer = new AbortController();
    const client = fakeClient([hanging, hanging]);
    const merged = streamChoices(client, REQUEST, { requestId: 'r', signal: outer.signal }, 2);
    expect((await merged.next()).value).toMatchObject({ type: 'start' });
    const rest = merged.next();
    outer.abort();
    await expect(rest).rejects.toMatchObject({ kind: 'cancelled' });
    expect(client.calls.every((call) => call.signal.aborted)).toBe(true);
  });
});
