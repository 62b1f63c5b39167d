import type { ChatRequest, StreamEvent } from '@nachos/plugin-sdk';
import type { LlmProxyClient } from '../../llm-proxy/llm-proxy-client.js';
import { OllamaTiming } from './ollama-timing.js';
import { watchChatTiming } from './watch-chat-timing.js';

/** A stand-in for the gRPC client: a chat stream and one method that needs its own `this`. */
class FakeClient {
  readonly #events: StreamEvent[];
  constructor(events: StreamEvent[]) {
    this.#events = events;
  }
  async *chat(): AsyncGenerator<StreamEvent> {
    for (const event of this.#events) yield event;
  }
  isServing(): Promise<boolean> {
    return Promise.resolve(this.#events.length > 0);
  }
}

function steppingClock(): () => bigint {
  let now = 0n;
  return () => (now += 1_000_000n);
}

describe('watchChatTiming', () => {
  it('times the chat stream as it is consumed and leaves the rest of the client working', async () => {
    const timing = new OllamaTiming(steppingClock());
    const fake = new FakeClient([
      { type: 'start', id: 'r', model: 'm' },
      { type: 'text-delta', text: 'a' },
      { type: 'text-delta', text: 'b' },
      { type: 'finish', reason: 'stop' },
    ]);
    const client = watchChatTiming(fake as unknown as LlmProxyClient, timing);
    const seen: string[] = [];
    const request: ChatRequest = { model: 'm', messages: [], sampling: {}, stream: false };
    for await (const event of client.chat(request, { requestId: 'x', signal: new AbortController().signal })) seen.push(event.type);
    expect(seen).toEqual(['start', 'text-delta', 'text-delta', 'finish']);
    // Clock reads: received 1 ms, start 2, first text 3, second text 4, finish 5, metrics 6.
    expect(timing.metrics({ inputTokens: 2, outputTokens: 2 })).toEqual({
      total_duration: 5_000_000,
      load_duration: 1_000_000,
      prompt_eval_count: 2,
      prompt_eval_duration: 1_000_000,
      eval_count: 2,
      eval_duration: 3_000_000,
    });
    await expect(client.isServing(100)).resolves.toBe(true);
  });

  it('hands an early return straight to the call, while its next event is still awaited', async () => {
    let returned = false;
    const pending: AsyncIterator<StreamEvent> = {
      next: () => new Promise(() => {}),
      return: () => {
        returned = true;
        return Promise.resolve({ done: true, value: undefined });
      },
    };
    const fake = { chat: () => ({ [Symbol.asyncIterator]: () => pending }) };
    const client = watchChatTiming(fake as unknown as LlmProxyClient, new OllamaTiming(steppingClock()));
    const request: ChatRequest = { model: 'm', messages: [], sampling: {}, stream: false };
    const events = client.chat(request, { requestId: 'x', signal: new AbortController().signal })[Symbol.asyncIterator]();
    void events.next();
    await expect(events.return?.()).resolves.toEqual({ done: true, value: undefined });
    expect(returned).toBe(true);
  });
});
