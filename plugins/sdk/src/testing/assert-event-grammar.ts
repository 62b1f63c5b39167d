import type { StreamEvent } from '../stream-event.js';

/** What the grammar tracks for one choice (a stream without `choice` events has choice 0 alone). */
interface ChoiceState {
  open: Set<number>;
  seen: Set<number>;
  finished: boolean;
}

/**
 * Throws, naming the first offending event, unless `events` follow the canonical stream grammar:
 * exactly one `start`, first; every `tool-call-start` has a fresh index and is closed by one
 * `tool-call-end` before `finish`; deltas only for open calls; exactly one `finish`; nothing but
 * `usage` after it. With several choices (`choice` events) each choice is held to those rules on its own.
 */
export function assertEventGrammar(events: readonly StreamEvent[]): void {
  const fail = (position: number, problem: string): never => {
    throw new Error(`stream grammar violated at event ${position} (${JSON.stringify(events[position] ?? null)}): ${problem}`);
  };
  if (events[0]?.type !== 'start') {
    fail(0, 'the first event must be `start`');
  }
  const choices = new Map<number, ChoiceState>();
  const choiceAt = (index: number): ChoiceState => {
    let state = choices.get(index);
    if (state === undefined) {
      state = { open: new Set(), seen: new Set(), finished: false };
      choices.set(index, state);
    }
    return state;
  };
  let current = choiceAt(0);
  events.forEach((event, position) => {
    if (position > 0 && event.type === 'start') {
      fail(position, 'a second `start`');
    }
    if (current.finished && event.type !== 'usage' && event.type !== 'choice') {
      fail(position, 'only `usage` may follow `finish`');
    }
    switch (event.type) {
      case 'choice':
        current = choiceAt(event.index);
        break;
      case 'tool-call-start':
        if (current.seen.has(event.index)) {
          fail(position, `tool call index ${event.index} was already used`);
        }
        current.seen.add(event.index);
        current.open.add(event.index);
        break;
      case 'tool-call-delta':
        if (!current.open.has(event.index)) {
          fail(position, `arguments for tool call ${event.index}, which is not open`);
        }
        break;
      case 'tool-call-end':
        if (!current.open.delete(event.index)) {
          fail(position, `end of tool call ${event.index}, which is not open`);
        }
        break;
      case 'finish':
        if (current.open.size > 0) {
          fail(position, `\`finish\` while tool calls ${[...current.open].join(', ')} are open`);
        }
        current.finished = true;
        break;
      default:
        break;
    }
  });
  for (const [index, state] of choices) {
    if (!state.finished) {
      fail(events.length, choices.size === 1 ? 'the stream has no `finish`' : `choice ${index} has no \`finish\``);
    }
  }
}
