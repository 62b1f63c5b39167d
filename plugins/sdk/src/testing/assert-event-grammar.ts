import type { StreamEvent } from '../stream-event.js';

/**
 * Throws, naming the first offending event, unless `events` follow the canonical stream grammar:
 * exactly one `start`, first; every `tool-call-start` has a fresh index and is closed by one
 * `tool-call-end` before `finish`; deltas only for open calls; exactly one `finish`; nothing but
 * `usage` after it.
 */
export function assertEventGrammar(events: readonly StreamEvent[]): void {
  const fail = (position: number, problem: string): never => {
    throw new Error(`stream grammar violated at event ${position} (${JSON.stringify(events[position] ?? null)}): ${problem}`);
  };
  if (events[0]?.type !== 'start') {
    fail(0, 'the first event must be `start`');
  }
  const open = new Set<number>();
  const seen = new Set<number>();
  let finished = false;
  events.forEach((event, position) => {
    if (position > 0 && event.type === 'start') {
      fail(position, 'a second `start`');
    }
    if (finished && event.type !== 'usage') {
      fail(position, 'only `usage` may follow `finish`');
    }
    switch (event.type) {
      case 'tool-call-start':
        if (seen.has(event.index)) {
          fail(position, `tool call index ${event.index} was already used`);
        }
        seen.add(event.index);
        open.add(event.index);
        break;
      case 'tool-call-delta':
        if (!open.has(event.index)) {
          fail(position, `arguments for tool call ${event.index}, which is not open`);
        }
        break;
      case 'tool-call-end':
        if (!open.delete(event.index)) {
          fail(position, `end of tool call ${event.index}, which is not open`);
        }
        break;
      case 'finish':
        if (open.size > 0) {
          fail(position, `\`finish\` while tool calls ${[...open].join(', ')} are open`);
        }
        finished = true;
        break;
      default:
        break;
    }
  });
  if (!finished) {
    fail(events.length, 'the stream has no `finish`');
  }
}
