import { CallCancellation, ProviderError, type CallSignal, type StreamEvent } from '@nachos/plugin-sdk';
import { guardUpstreamEvents } from './guard-upstream-events.js';

const timeouts = { connectMs: 1_000, firstTokenMs: 1_000, idleMs: 1_000, totalMs: 5_000 };

async function* events(script: Array<StreamEvent | number>, signal: CallSignal): AsyncGenerator<StreamEvent> {
  for (const step of script) {
    if (typeof step === 'number') await new Promise((resolve) => setTimeout(resolve, step));
    else yield step;
    if (signal.aborted) return;
  }
}

async function run(script: Array<StreamEvent | number>, limits = timeouts): Promise<{ events: StreamEvent[]; error?: ProviderError }> {
  const seen: StreamEvent[] = [];
  try {
    for await (const event of guardUpstreamEvents((attempt) => events(script, attempt), limits, new AbortController().signal)) seen.push(event);
    return { events: seen };
  } catch (error) {
    return { events: seen, error: error as ProviderError };
  }
}

const start: StreamEvent = { type: 'start', id: 'x', model: 'm' };
const text: StreamEvent = { type: 'text-delta', text: 'hi' };
const finish: StreamEvent = { type: 'finish', reason: 'stop' };

describe('guardUpstreamEvents', () => {
  it('passes a healthy stream through', async () => {
    expect((await run([start, 10, text, finish])).events).toEqual([start, text, finish]);
  });

  it('times out a silent upstream (connect)', async () => {
    const { error } = await run([5_000], { ...timeouts, connectMs: 50 });
    expect(error?.kind).toBe('timeout');
    expect(error?.message).toMatch(/connection/);
  });

  it('times out a stall before the first token', async () => {
    const { error, events: seen } = await run([start, 5_000, text], { ...timeouts, firstTokenMs: 50 });
    expect(seen).toEqual([start]);
    expect(error?.message).toMatch(/first token/);
  });

  it('bounds the first token from the start, whether or not the upstream answered', async () => {
    const silent = await run([5_000], { ...timeouts, connectMs: 1_000, firstTokenMs: 50 });
    expect(silent.error?.message).toMatch(/first token took longer than 50 ms/);
    const slow = await run([30, start, 40, text], { ...timeouts, connectMs: 1_000, firstTokenMs: 60 });
    expect(slow.events).toEqual([start]);
    expect(slow.error?.message).toMatch(/first token took longer than 60 ms/);
  });

  it('bounds only the wait for the answer with connect, not the first token after it', async () => {
    const { error, events: seen } = await run([start, 80, text, finish], { ...timeouts, connectMs: 50, firstTokenMs: 1_000 });
    expect(error).toBeUndefined();
    expect(seen).toEqual([start, text, finish]);
  });

  it('times out a gap between events', async () => {
    const { error, events: seen } = await run([start, text, 5_000, text], { ...timeouts, idleMs: 50 });
    expect(seen).toEqual([start, text]);
    expect(error?.message).toMatch(/gap between events/);
  });

  it('bounds the whole attempt', async () => {
    const { error } = await run([start, text, 40, text, 40, text, 40, text], { ...timeouts, totalMs: 90 });
    expect(error?.message).toMatch(/response took longer than 90 ms/);
  });

  it("aborts the plugin's signal and fails the wait at once when the caller cancels", async () => {
    const caller = new CallCancellation();
    let pluginSignal: AbortSignal | undefined;
    let pluginCancellation: CallSignal | undefined;
    const guarded = guardUpstreamEvents(
      (attempt) => {
        pluginSignal = attempt.signal;
        pluginCancellation = attempt;
        // A plugin that never looks at its signal: the wait must not depend on it.
        return events([start, 5_000, text], new AbortController().signal);
      },
      timeouts,
      caller,
    );
    expect(await guarded.next()).toEqual({ done: false, value: start });
    const waiting = guarded.next();
    const cancelled = new ProviderError({ kind: 'cancelled', message: 'the caller cancelled' });
    const startedAt = performance.now();
    caller.abort(cancelled);
    await expect(waiting).rejects.toBe(cancelled);
    expect(performance.now() - startedAt).toBeLessThan(50);
    expect(pluginSignal?.aborted).toBe(true);
    expect(pluginSignal?.reason).toBe(cancelled);
    expect(pluginCancellation?.aborted).toBe(true);
    expect(pluginCancellation?.reason).toBe(cancelled);
  });

  it('makes an AbortController for an attempt only when its plugin reads the AbortSignal', async () => {
    const Original = globalThis.AbortController;
    let made = 0;
    globalThis.AbortController = class extends Original {
      constructor() {
        super();
        made += 1;
      }
    };
    try {
      const caller = new CallCancellation();
      const untouched = guardUpstreamEvents((attempt) => events([start, finish], attempt), timeouts, caller);
      for await (const event of untouched) expect(event).toBeDefined();
      expect(made).toBe(0);
      const reading = guardUpstreamEvents((attempt) => events([start, finish], attempt.signal), timeouts, caller);
      for await (const event of reading) expect(event).toBeDefined();
      expect(made).toBe(1);
    } finally {
      globalThis.AbortController = Original;
    }
  });

  it('starts aborted under a caller that cancelled before it', async () => {
    const caller = new CallCancellation();
    const cancelled = new ProviderError({ kind: 'cancelled', message: 'the caller cancelled' });
    caller.abort(cancelled);
    const guarded = guardUpstreamEvents((attempt) => events([start], attempt), timeouts, caller);
    await expect(guarded.next()).rejects.toBe(cancelled);
  });
});
