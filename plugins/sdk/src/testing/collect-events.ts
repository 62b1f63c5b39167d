import type { StreamEvent } from '../stream-event.js';

/** Drains an event stream into an array, so that a test can compare it whole. */
export async function collectEvents(events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const collected: StreamEvent[] = [];
  for await (const event of events) {
    collected.push(event);
  }
  return collected;
}

/** The text of all `text-delta` events, joined. */
export function joinText(events: readonly StreamEvent[]): string {
  return events.map((event) => (event.type === 'text-delta' ? event.text : '')).join('');
}

/** The text of all `reasoning-delta` events, joined. */
export function joinReasoning(events: readonly StreamEvent[]): string {
  return events.map((event) => (event.type === 'reasoning-delta' ? event.text : '')).join('');
}

/** Each tool call of a stream, assembled: id, name and the full arguments text, by canonical index. */
export function joinToolCalls(events: readonly StreamEvent[]): Array<{ index: number; id: string; name: string; arguments: string }> {
  const calls = new Map<number, { index: number; id: string; name: string; arguments: string }>();
  for (const event of events) {
    if (event.type === 'tool-call-start') {
      calls.set(event.index, { index: event.index, id: event.id, name: event.name, arguments: '' });
    } else if (event.type === 'tool-call-delta') {
      const call = calls.get(event.index);
      if (call !== undefined) {
        call.arguments += event.argumentsDelta;
      }
    }
  }
  return [...calls.values()].sort((left, right) => left.index - right.index);
}
