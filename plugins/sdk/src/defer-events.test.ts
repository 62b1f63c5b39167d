import { deferEvents } from './defer-events.js';
import type { StreamEvent } from './stream-event.js';

const a: StreamEvent = { type: 'text-delta', text: 'a' };
const b: StreamEvent = { type: 'text-delta', text: 'b' };

function closable(events: StreamEvent[]) {
  const log = { closed: 0 };
  async function* stream(): AsyncGenerator<StreamEvent> {
    try {
      yield* events;
    } finally {
      log.closed += 1;
    }
  }
  return { stream: stream(), log };
}

describe('deferEvents', () => {
  it('opens on the first pull, not before, and then relays a stream or an array', async () => {
    let opened = 0;
    const events = deferEvents(async () => {
      opened += 1;
      return [a, b];
    });
    expect(opened).toBe(0);
    const seen: StreamEvent[] = [];
    for await (const event of events) seen.push(event);
    expect(seen).toEqual([a, b]);
    expect(opened).toBe(1);
    const { stream } = closable([b, a]);
    const relayed: StreamEvent[] = [];
    for await (const event of deferEvents(async () => stream)) relayed.push(event);
    expect(relayed).toEqual([b, a]);
  });

  it('fails the first pull when opening fails, and is over after it', async () => {
    const events = deferEvents(async () => {
      throw new Error('upstream refused');
    });
    await expect(events.next()).rejects.toThrow('upstream refused');
    expect(await events.next()).toEqual({ done: true, value: undefined });
  });

  it('closes the events when the caller stops early, and never opens when stopped before the first pull', async () => {
    const { stream, log } = closable([a, b]);
    for await (const event of deferEvents(async () => stream)) {
      expect(event).toEqual(a);
      break;
    }
    expect(log.closed).toBe(1);
    let opened = false;
    const unopened = deferEvents(async () => {
      opened = true;
      return [a];
    });
    expect(await unopened.return!()).toEqual({ done: true, value: undefined });
    expect(await unopened.next()).toEqual({ done: true, value: undefined });
    expect(opened).toBe(false);
  });

  it('waits for an opening under way before it closes', async () => {
    const { stream, log } = closable([a, b]);
    let open: (() => void) | undefined;
    const events = deferEvents(async () => {
      await new Promise<void>((resolve) => (open = resolve));
      return stream;
    });
    const first = events.next();
    const stopped = events.return!();
    await new Promise((resolve) => setImmediate(resolve));
    open?.();
    expect(await first).toEqual({ done: false, value: a });
    await stopped;
    expect(log.closed).toBe(1);
  });
});
