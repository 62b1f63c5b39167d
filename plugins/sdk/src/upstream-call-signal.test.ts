import { UpstreamCallSignal } from './upstream-call-signal.js';

describe('UpstreamCallSignal', () => {
  it("tells its listener once when the caller aborts, and gives a signal aborted for the caller's reason even when asked for later", () => {
    const caller = new AbortController();
    const call = new UpstreamCallSignal(caller.signal, 60_000, 'p');
    let told = 0;
    call.onAbort(() => (told += 1));
    expect(call.aborted).toBe(false);
    caller.abort(new Error('client left'));
    caller.abort(new Error('again'));
    expect(told).toBe(1);
    expect(call.aborted).toBe(true);
    expect(call.signal.aborted).toBe(true);
    expect((call.signal.reason as Error).message).toBe('client left');
    expect(call.failure()).toMatchObject({ kind: 'cancelled' });
    call.dispose();
  });

  it('aborts a signal asked for before, and tells its listener, when its own time runs out', async () => {
    const call = new UpstreamCallSignal(new AbortController().signal, 20, 'p');
    const signal = call.signal;
    const told = new Promise<void>((resolve) => call.onAbort(resolve));
    await told;
    expect(signal.aborted).toBe(true);
    expect(call.failure()).toMatchObject({ kind: 'timeout' });
    call.dispose();
  });

  it('tells nobody after dispose', () => {
    const caller = new AbortController();
    const call = new UpstreamCallSignal(caller.signal, 60_000);
    let told = false;
    call.onAbort(() => (told = true));
    call.dispose();
    caller.abort();
    expect(told).toBe(false);
    expect(call.aborted).toBe(false);
  });

  it('starts aborted when the caller already is', () => {
    const caller = new AbortController();
    caller.abort(new Error('gone'));
    const call = new UpstreamCallSignal(caller.signal, 60_000);
    expect(call.aborted).toBe(true);
    expect(call.signal.aborted).toBe(true);
    expect(call.failure()).toMatchObject({ kind: 'cancelled' });
  });
});
