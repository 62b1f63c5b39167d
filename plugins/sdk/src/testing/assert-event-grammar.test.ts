import type { StreamEvent } from '../stream-event.js';
import { assertEventGrammar } from './assert-event-grammar.js';

const start: StreamEvent = { type: 'start', id: 'r', model: 'm' };
const finish: StreamEvent = { type: 'finish', reason: 'stop' };
const usage: StreamEvent = { type: 'usage', usage: { inputTokens: 1, outputTokens: 1 } };

describe('assertEventGrammar', () => {
  it('accepts well-formed streams, with usage before or after finish', () => {
    assertEventGrammar([start, { type: 'text-delta', text: 'a' }, usage, finish]);
    assertEventGrammar([
      start,
      { type: 'reasoning-delta', text: 'hm' },
      { type: 'tool-call-start', index: 0, id: 'a', name: 'f' },
      { type: 'tool-call-start', index: 1, id: 'b', name: 'g' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{}' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{}' },
      { type: 'tool-call-end', index: 0 },
      { type: 'tool-call-end', index: 1 },
      { type: 'finish', reason: 'tool_calls' },
      usage,
    ]);
  });

  it('holds each of several choices to the grammar on its own', () => {
    assertEventGrammar([
      start,
      { type: 'tool-call-start', index: 0, id: 'a', name: 'f' },
      { type: 'choice', index: 1 },
      { type: 'tool-call-start', index: 0, id: 'b', name: 'g' },
      { type: 'tool-call-end', index: 0 },
      finish,
      { type: 'choice', index: 0 },
      { type: 'tool-call-end', index: 0 },
      finish,
      usage,
    ]);
    expect(() => assertEventGrammar([start, finish, { type: 'choice', index: 1 }, { type: 'text-delta', text: 'b' }])).toThrow(/choice 1 has no `finish`/);
    expect(() => assertEventGrammar([start, { type: 'choice', index: 1 }, finish, { type: 'text-delta', text: 'late' }])).toThrow(/only `usage` may follow `finish`/);
  });

  it.each([
    ['no start', [finish], /first event must be `start`/],
    ['a second start', [start, start, finish], /a second `start`/],
    ['no finish', [start, { type: 'text-delta', text: 'a' }], /has no `finish`/],
    ['two finishes', [start, finish, finish], /only `usage` may follow `finish`/],
    ['text after finish', [start, finish, { type: 'text-delta', text: 'late' }], /only `usage` may follow `finish`/],
    ['a delta for a call never started', [start, { type: 'tool-call-delta', index: 0, argumentsDelta: '{' }, finish], /not open/],
    ['an end for a call never started', [start, { type: 'tool-call-end', index: 3 }, finish], /not open/],
    ['a finish with a call still open', [start, { type: 'tool-call-start', index: 0, id: 'a', name: 'f' }, finish], /while tool calls 0 are open/],
    [
      'a reused tool index',
      [
        start,
        { type: 'tool-call-start', index: 0, id: 'a', name: 'f' },
        { type: 'tool-call-end', index: 0 },
        { type: 'tool-call-start', index: 0, id: 'b', name: 'g' },
        { type: 'tool-call-end', index: 0 },
        finish,
      ],
      /already used/,
    ],
  ] as Array<[string, StreamEvent[], RegExp]>)('rejects %s', (_name, events, message) => {
    expect(() => assertEventGrammar(events)).toThrow(message);
  });
});
