import { ProviderError, type ChatRequest, type StreamEvent } from '@nachos/plugin-sdk';
import type { CallContext } from '../llm-proxy/llm-proxy-client.js';
import { mergeChoiceStreams, type ChoiceEvent } from './merge-choice-streams.js';

const REQUEST: ChatRequest = { model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }], stream: true };

/** A fake llm-proxy whose n-th call runs `scripts[n]`, recording each call's signal. */
function fakeClient(scripts: Array<(signal: AbortSignal) => AsyncGenerator<StreamEvent>>) {
  const signals: AbortSignal[] = [];
  return {
    signals,
    chat: (_request: ChatRequest, context: CallContext) => {
      signals.push(context.signal);
      return scripts[signals.length - 1]!(context.signal);
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
  await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
  throw new ProviderError({ kind: 'cancelled', message: 'cancelled' });
}

const context = (): CallContext => ({ requestId: 'r', signal: new AbortController().signal });

describe('mergeChoiceStreams', () => {
  it("tags every choice's events, leads with one start and ends with the summed usage", async () => {
    const client = fakeClient([() => answer('a', 2), () => answer('b', 3)]);
    const events: ChoiceEvent[] = [];
    for await (const event of mergeChoiceStreams(client, REQUEST, context(), 2)) events.push(event);
    expect(events[0]).toMatchObject({ type: 'start', id: 'up-a' });
    expect(events.filter((event) => event.type === 'start')).toHaveLength(1);
    expect(events.filter((event) => event.type === 'text-delta')).toEqual(
      expect.arrayContaining([{ type: 'text-delta', text: 'a', choice: 0 }, { type: 'text-delta', text: 'b', choice: 1 }]),
    );
    expect(events.filter((event) => event.type === 'finish').map((event) => event.choice).sort()).toEqual([0, 1]);
    expect(events.at(-1)).toEqual({ type: 'usage', usage: { inputTokens: 5, outputTokens: 2 } });
  });

  it('fails with the first failure after the start and cancels the other calls', async () => {
    async function* failing(): AsyncGenerator<StreamEvent> {
      yield { type: 'start', id: 'up-fail', model: 'm' };
      yield { type: 'text-delta', text: 'half' };
      throw new ProviderError({ kind: 'unavailable', message: 'upstream went away' });
    }
    const client = fakeClient([failing, hanging]);
    const seen: ChoiceEvent[] = [];
    const run = async () => {
      for await (const event of mergeChoiceStreams(client, REQUEST, context(), 2)) seen.push(event);
    };
    await expect(run()).rejects.toMatchObject({ kind: 'unavailable' });
    expect(seen[0]).toMatchObject({ type: 'start' });
    expect(client.signals.every((signal) => signal.aborted)).toBe(true);
  });

  it("cancels every call when the client's signal aborts", async () => {
    const outer = new AbortController();
    const client = fakeClient([hanging, hanging]);
    const merged = mergeChoiceStreams(client, REQUEST, { requestId: 'r', signal: outer.signal }, 2);
    expect((await merged.next()).value).toMatchObject({ type: 'start' });
    const rest = merged.next();
    outer.abort();
    await expect(rest).rejects.toMatchObject({ kind: 'cancelled' });
    expect(client.signals.every((signal) => signal.aborted)).toBe(true);
  });
});
