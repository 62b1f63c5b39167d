import { readFileSync } from 'node:fs';
import type { StreamEvent } from '@nachos/plugin-sdk';
import { ollamaPartial, type OllamaOutput } from './build-ollama-response.js';
import { OllamaStreamEncoder } from './ollama-stream-encoder.js';
import { OllamaTiming } from './ollama-timing.js';
import type { OllamaGenerationEndpoint } from './parsed-ollama-request.js';

const FIXTURES = new URL('../../../../../test/fixtures/protocols/ollama/', import.meta.url);

function fixtureLines(name: string): Array<Record<string, any>> {
  return readFileSync(new URL(name, FIXTURES), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, any>);
}

/** A clock that moves 1 ms (1e6 ns) every time it is read, so durations are known in advance. */
function steppingClock(): () => bigint {
  let now = 0n;
  return () => {
    now += 1_000_000n;
    return now;
  };
}

/**
 * Runs events through an encoder the way the chat exchange does (each event marked on arrival, then
 * encoded) and returns the body. Every piece the encoder returns must be whole lines.
 */
function encode(events: StreamEvent[], endpoint: OllamaGenerationEndpoint = 'chat', finish: 'end' | 'error' = 'end'): string {
  const timing = new OllamaTiming(steppingClock());
  const encoder = new OllamaStreamEncoder({ endpoint, model: 'llama3.2', timing });
  const pieces = events.map((event) => {
    timing.mark(event);
    return encoder.encode(event);
  });
  pieces.push(finish === 'end' ? encoder.end() : encoder.error({ kind: 'unavailable', status: 503, message: 'upstream went away' }));
  for (const piece of pieces) expect(piece === '' || /^(\{[^\n]*\}\n)+$/.test(piece)).toBe(true);
  return pieces.join('');
}

function lines(body: string): Array<Record<string, any>> {
  return body
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const parsed = JSON.parse(line) as Record<string, any>;
      if ('created_at' in parsed) {
        expect(new Date(parsed.created_at as string).toISOString()).toBe(parsed.created_at);
        parsed.created_at = '<time>';
      }
      return parsed;
    });
}

const start: StreamEvent = { type: 'start', id: 'resp-1', model: 'upstream-model-id' };

describe('OllamaStreamEncoder', () => {
  it('streams text as done:false lines and ends with one done:true line carrying reason, counts and durations', () => {
    const body = encode([
      start,
      { type: 'text-delta', text: 'The' },
      { type: 'text-delta', text: '' },
      { type: 'text-delta', text: ' sky' },
      { type: 'finish', reason: 'stop' },
      { type: 'usage', usage: { inputTokens: 26, outputTokens: 2 } },
    ]);
    expect(lines(body)).toEqual([
      { model: 'llama3.2', created_at: '<time>', message: { role: 'assistant', content: 'The' }, done: false },
      { model: 'llama3.2', created_at: '<time>', message: { role: 'assistant', content: ' sky' }, done: false },
      {
        model: 'llama3.2',
        created_at: '<time>',
        message: { role: 'assistant', content: '' },
        done: true,
        done_reason: 'stop',
        // Clock reads: received 1 ms, start 2 ms, first text 3 ms, end 8 ms.
        total_duration: 7_000_000,
        load_duration: 1_000_000,
        prompt_eval_count: 26,
        prompt_eval_duration: 1_000_000,
        eval_count: 2,
        eval_duration: 5_000_000,
      },
    ]);
  });

  it('writes the same keys as a recorded Ollama chat stream', () => {
    const produced = lines(encode([start, { type: 'text-delta', text: 'The' }, { type: 'finish', reason: 'stop' }]));
    const recorded = fixtureLines('chat-stream.ndjson');
    const keys = (line: Record<string, unknown>) => Object.keys(line).sort();
    expect(keys(produced[0]!)).toEqual(keys(recorded[0]!));
    expect(keys(produced.at(-1)!)).toEqual([...keys(recorded.at(-1)!), 'done_reason'].sort());
  });

  it('holds a tool call until it is complete, then sends it whole with object arguments, and finishes as stop', () => {
    const produced = lines(
      encode([
        start,
        { type: 'tool-call-start', index: 0, id: 'call_abc', name: 'get_weather' },
        { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":' },
        { type: 'tool-call-delta', index: 0, argumentsDelta: '"Tokyo"}' },
        { type: 'tool-call-end', index: 0 },
        { type: 'finish', reason: 'tool_calls' },
        { type: 'usage', usage: { inputTokens: 169, outputTokens: 15 } },
      ]),
    );
    expect(produced).toHaveLength(2);
    expect(produced[0]).toEqual({
      model: 'llama3.2',
      created_at: '<time>',
      message: { role: 'assistant', content: '', tool_calls: [{ id: 'call_abc', function: { index: 0, name: 'get_weather', arguments: { city: 'Tokyo' } } }] },
      done: false,
    });
    const [recorded] = fixtureLines('chat-stream-toolcall.ndjson');
    expect(produced[0]!.message.tool_calls[0].function).toMatchObject(recorded!.message.tool_calls[0].function);
    expect(produced[1]).toMatchObject({ done: true, done_reason: 'stop', prompt_eval_count: 169, eval_count: 15 });
  });

  it('sends each of several tool calls on its own line when it completes', () => {
    const produced = lines(
      encode([
        start,
        { type: 'tool-call-start', index: 0, id: 'a', name: 'one' },
        { type: 'tool-call-start', index: 1, id: 'b', name: 'two' },
        { type: 'tool-call-delta', index: 1, argumentsDelta: '{"n":2}' },
        { type: 'tool-call-end', index: 1 },
        { type: 'tool-call-delta', index: 0, argumentsDelta: '{}' },
        { type: 'tool-call-end', index: 0 },
        { type: 'finish', reason: 'tool_calls' },
      ]),
    );
    expect(produced.map((line) => line.message.tool_calls?.[0]?.function)).toEqual([
      { index: 1, name: 'two', arguments: { n: 2 } },
      { index: 0, name: 'one', arguments: {} },
      undefined,
    ]);
  });

  it('sends a call whose arguments are not a JSON object as text, never as a call with made-up arguments', () => {
    const produced = lines(
      encode([
        start,
        { type: 'tool-call-start', index: 0, id: 'a', name: 'one' },
        { type: 'tool-call-delta', index: 0, argumentsDelta: '{"cut":"sho' },
        { type: 'tool-call-end', index: 0 },
        { type: 'finish', reason: 'length' },
      ]),
    );
    expect(produced[0]!.message).toEqual({ role: 'assistant', content: '{"cut":"sho' });
    expect(produced[1]).toMatchObject({ done: true, done_reason: 'length' });
  });

  it('streams reasoning as message.thinking with empty content', () => {
    const produced = lines(
      encode([start, { type: 'reasoning-delta', text: 'Hmm' }, { type: 'reasoning-delta', text: '', signature: 'sig' }, { type: 'text-delta', text: 'Yes' }, { type: 'finish', reason: 'stop' }]),
    );
    expect(produced.map((line) => line.message)).toEqual([
      { role: 'assistant', content: '', thinking: 'Hmm' },
      { role: 'assistant', content: 'Yes' },
      { role: 'assistant', content: '' },
    ]);
  });

  it('puts generate text in response and thinking at the top level, with an empty context on the done line', () => {
    const produced = lines(
      encode(
        [start, { type: 'reasoning-delta', text: 'Hmm' }, { type: 'text-delta', text: 'That' }, { type: 'finish', reason: 'length' }, { type: 'usage', usage: { inputTokens: 3, outputTokens: 2 } }],
        'generate',
      ),
    );
    expect(produced[0]).toEqual({ model: 'llama3.2', created_at: '<time>', response: '', thinking: 'Hmm', done: false });
    expect(produced[1]).toEqual({ model: 'llama3.2', created_at: '<time>', response: 'That', done: false });
    expect(produced[2]).toMatchObject({ response: '', done: true, done_reason: 'length', context: [], prompt_eval_count: 3, eval_count: 2 });
    const recorded = fixtureLines('generate-stream.ndjson');
    expect(Object.keys(produced[1]!).sort()).toEqual(Object.keys(recorded[0]!).sort());
  });

  it('ends a stream that failed after its first line with one error line and no done line, like Ollama', () => {
    const body = encode([start, { type: 'text-delta', text: ' Yes' }], 'generate', 'error');
    const produced = lines(body);
    expect(produced).toEqual([{ model: 'llama3.2', created_at: '<time>', response: ' Yes', done: false }, { error: 'upstream went away' }]);
    expect(Object.keys(fixtureLines('generate-stream-error.ndjson').at(-1)!)).toEqual(['error']);
  });

  it('reports non-zero durations and zero counts when no usage arrived', () => {
    const final = lines(encode([start, { type: 'finish', reason: 'stop' }])).at(-1)!;
    expect(final).toMatchObject({ prompt_eval_count: 0, eval_count: 0 });
    for (const key of ['total_duration', 'load_duration', 'prompt_eval_duration', 'eval_duration']) expect(final[key]).toBeGreaterThan(0);
  });

  it.each(['chat', 'generate'] as const)('writes each %s text and thinking line as JSON.stringify writes ollamaPartial, byte for byte', (endpoint) => {
    const model = 'served \\ "model" é';
    const encoder = new OllamaStreamEncoder({ endpoint, model, timing: new OllamaTiming(steppingClock()) });
    const text = 'line\n"quoted" 🐱 \u2028';
    const expected = (line: string, output: OllamaOutput) => {
      // Each line is stamped when written: the expected object takes the stamp the line carries.
      const createdAt = (JSON.parse(line) as { created_at: string }).created_at;
      expect(Date.parse(createdAt)).toBeGreaterThan(0);
      return `${JSON.stringify({ ...ollamaPartial(endpoint, model, output), created_at: createdAt })}\n`;
    };
    const textLine = encoder.encode({ type: 'text-delta', text });
    expect(textLine).toBe(expected(textLine, { content: text }));
    const thinkingLine = encoder.encode({ type: 'reasoning-delta', text });
    expect(thinkingLine).toBe(expected(thinkingLine, { content: '', thinking: text }));
  });
});
