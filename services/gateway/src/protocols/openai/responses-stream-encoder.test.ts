import { readFileSync } from 'node:fs';
import type { StreamEvent } from '@nachos/plugin-sdk';
import { APIError } from 'openai';
import { Stream } from 'openai/core/streaming';
import { accumulateResponse } from 'openai/lib/responses/ResponseAccumulator';
import type { Response as OpenAIResponse, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { ResponsesStreamEncoder } from './responses-stream-encoder.js';

interface Payload {
  type: string;
  sequence_number: number;
  delta?: string;
  item?: { id: string; encrypted_content?: string };
  response?: { output: Array<Record<string, unknown>>; usage: unknown };
  [key: string]: unknown;
}

function recorded(name: string): Payload[] {
  return parse(readFileSync(new URL(`../../../../../test/fixtures/protocols/openai-responses/${name}`, import.meta.url), 'utf8'));
}

/** Checks the framing (`event:` repeats the payload's type) and returns the payloads. */
function parse(sse: string): Payload[] {
  return sse
    .split('\n\n')
    .filter((frame) => frame.trim() !== '')
    .map((frame) => {
      const [eventLine, dataLine] = frame.split('\n');
      const payload = JSON.parse((dataLine ?? '').replace(/^data: /, '')) as Payload;
      expect(eventLine).toBe(`event: ${payload.type}`);
      return payload;
    });
}

const RESPONSE_FIELDS = ['object', 'status', 'output', 'usage', 'incomplete_details', 'error'];

/**
 * What must agree between a recorded stream and ours: ids become placeholders by first appearance,
 * per-event padding (`obfuscation`) and `encrypted_content` (checked apart) go, and a response
 * snapshot keeps the fields that describe the answer rather than the request.
 */
function normalise(events: Payload[]): unknown[] {
  const ids = new Map<string, string>();
  const visit = (value: unknown, key?: string): unknown => {
    if (typeof value === 'string' && /^(resp|msg|rs|fc)_/.test(value)) {
      if (!ids.has(value)) ids.set(value, `${value.split('_')[0]}#${ids.size}`);
      return ids.get(value);
    }
    if (Array.isArray(value)) return value.map((item) => visit(item));
    if (typeof value === 'object' && value !== null) {
      const entries = Object.entries(value).filter(([name]) => name !== 'obfuscation' && name !== 'encrypted_content');
      const kept = key === 'response' ? entries.filter(([name]) => RESPONSE_FIELDS.includes(name)) : entries;
      return Object.fromEntries(kept.map(([name, item]) => [name, visit(item, name)]));
    }
    return value;
  };
  return events.map((event) => visit(event));
}

function encodeAll(events: StreamEvent[]): string {
  const encoder = new ResponsesStreamEncoder({ id: 'resp_test', createdAt: 1_700_000_000, model: 'm', settings: { tools: [] } });
  return events.map((event) => encoder.encode(event)).join('') + encoder.end();
}

/**
 * Replays our stream through the official SDK: its SSE decoder, then its Responses accumulator, which
 * checks every output and content index against the items announced before.
 */
async function throughSdk(sse: string): Promise<{ events: ResponseStreamEvent[]; final: OpenAIResponse | undefined }> {
  const http = new Response(sse, { headers: { 'content-type': 'text/event-stream' } });
  const events: ResponseStreamEvent[] = [];
  let final: OpenAIResponse | undefined;
  for await (const event of Stream.fromSSEResponse<ResponseStreamEvent>(http, new AbortController())) {
    events.push(event);
    final = accumulateResponse(event, final);
  }
  return { events, final };
}

describe('ResponsesStreamEncoder', () => {
  it('streams text with the recorded event sequence and shapes', () => {
    const fixture = recorded('responses-stream-text.sse');
    const ours = parse(
      encodeAll([
        { type: 'start', id: 'chatcmpl-1', model: 'gpt-5.1' },
        { type: 'text-delta', text: 'Hello' },
        { type: 'finish', reason: 'stop' },
        { type: 'usage', usage: { inputTokens: 11, outputTokens: 11 } },
      ]),
    );
    expect(ours.map((event) => event.type)).toEqual(fixture.map((event) => event.type));
    expect(normalise(ours)).toMatchObject(normalise(fixture) as object[]);
  });

  it('streams reasoning and a function call with the recorded sequence, keeping call_id and the reasoning state', () => {
    const fixture = recorded('responses-stream-reasoning-functioncall.sse');
    const deltas = (type: string) => fixture.filter((event) => event.type === type).map((event) => event.delta ?? '');
    const summaryDeltas = deltas('response.reasoning_summary_text.delta');
    const argumentDeltas = deltas('response.function_call_arguments.delta');
    const signature = fixture.find((event) => event.type === 'response.output_item.done')?.item?.encrypted_content;
    expect(signature).toEqual(expect.any(String));
    const ours = parse(
      encodeAll([
        { type: 'start', id: 'chatcmpl-1', model: 'gpt-5.1-codex-max' },
        ...summaryDeltas.map((text): StreamEvent => ({ type: 'reasoning-delta', text })),
        { type: 'reasoning-delta', text: '', signature: signature! },
        { type: 'tool-call-start', index: 0, id: 'call_AB6AaRZ1FYZB2RwS6A5vbdqn', name: 'calculator' },
        ...argumentDeltas.map((argumentsDelta): StreamEvent => ({ type: 'tool-call-delta', index: 0, argumentsDelta })),
        { type: 'tool-call-end', index: 0 },
        { type: 'finish', reason: 'tool_calls' },
        { type: 'usage', usage: { inputTokens: 134, outputTokens: 28 } },
      ]),
    );
    expect(ours.map((event) => event.type)).toEqual(fixture.map((event) => event.type));
    expect(normalise(ours)).toMatchObject(normalise(fixture) as object[]);
    expect(ours.find((event) => event.type === 'response.output_item.done')?.item?.encrypted_content).toBe(signature);
    const call = ours.find((event) => event.type === 'response.function_call_arguments.done');
    expect(call).toMatchObject({ name: 'calculator', arguments: '{"a":12,"b":7,"op":"add"}' });
    const item = ours.at(-1)?.response?.output[1];
    expect(item?.id).toMatch(/^fc_/);
    expect(item?.call_id).toBe('call_AB6AaRZ1FYZB2RwS6A5vbdqn');
  });

  it('ends a failed stream like the recorded one: an error event the SDKs raise, then response.failed', async () => {
    const fixture = recorded('responses-stream-error.sse');
    const encoder = new ResponsesStreamEncoder({ id: 'resp_test', createdAt: 1, model: 'm', settings: {} });
    const sse =
      encoder.encode({ type: 'start', id: 'x', model: 'gpt-5-nano' }) +
      encoder.error({ kind: 'rate_limited', status: 429, message: 'You exceeded your current quota.', code: 'insufficient_quota' });
    const ours = parse(sse);
    const raised = await throughSdk(sse).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(raised).toBeInstanceOf(APIError);
    expect((raised as APIError).message).toContain('You exceeded your current quota.');
    expect(ours.map((event) => event.type)).toEqual(fixture.map((event) => event.type));
    expect(ours.map((event) => event.sequence_number)).toEqual([0, 1, 2, 3]);
    expect(ours[2]).toMatchObject({
      code: 'insufficient_quota',
      message: 'You exceeded your current quota.',
      param: null,
      error: { code: 'insufficient_quota', message: 'You exceeded your current quota.', param: null },
    });
    expect(ours[3]).toMatchObject({ response: { status: 'failed', error: { code: 'rate_limit_exceeded', message: 'You exceeded your current quota.' }, usage: null } });
  });

  it('marks the items open at a failure as incomplete in response.failed', () => {
    const encoder = new ResponsesStreamEncoder({ id: 'resp_test', createdAt: 1, model: 'm', settings: {} });
    const ours = parse(
      encoder.encode({ type: 'text-delta', text: 'Half' }) +
        encoder.encode({ type: 'tool-call-start', index: 0, id: 'call_1', name: 'f' }) +
        encoder.error({ kind: 'unavailable', status: 503, message: 'gone' }),
    );
    expect(ours.at(-1)?.response?.output).toEqual([
      expect.objectContaining({ type: 'message', status: 'completed', content: [expect.objectContaining({ text: 'Half' })] }),
      expect.objectContaining({ type: 'function_call', status: 'incomplete', call_id: 'call_1' }),
    ]);
  });

  it('names the namespace of a call to a namespaced function tool', () => {
    const encoder = new ResponsesStreamEncoder({ id: 'resp_test', createdAt: 1, model: 'm', settings: {}, toolNamespaces: new Map([['spawn_agent', 'multi_agent_v1']]) });
    const ours = parse(
      encoder.encode({ type: 'tool-call-start', index: 0, id: 'call_1', name: 'spawn_agent' }) +
        encoder.encode({ type: 'tool-call-end', index: 0 }) +
        encoder.encode({ type: 'tool-call-start', index: 1, id: 'call_2', name: 'exec_command' }) +
        encoder.end(),
    );
    expect(ours.at(-1)?.response?.output).toEqual([
      expect.objectContaining({ name: 'spawn_agent', namespace: 'multi_agent_v1', call_id: 'call_1' }),
      expect.not.objectContaining({ namespace: expect.anything() }),
    ]);
  });

  it('ends an answer cut short as response.incomplete with the reason, its message incomplete', () => {
    const ours = parse(encodeAll([{ type: 'text-delta', text: 'Cut' }, { type: 'finish', reason: 'length' }]));
    expect(ours.at(-1)).toMatchObject({
      type: 'response.incomplete',
      response: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, output: [{ status: 'incomplete' }] },
    });
  });

  it('gives text, reasoning and calls their own items in order, and the SDK rebuilds the same response', async () => {
    const sse = encodeAll([
      { type: 'start', id: 'x', model: 'm' },
      { type: 'reasoning-delta', text: 'Think' },
      { type: 'text-delta', text: 'Let me look.' },
      { type: 'redacted-reasoning', data: 'opaque' },
      { type: 'tool-call-start', index: 0, id: 'call_a', name: 'look' },
      { type: 'tool-call-start', index: 1, id: 'call_b', name: 'zoom', signature: 'sig' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"q":1}' },
      { type: 'tool-call-end', index: 0 },
      { type: 'tool-call-end', index: 1 },
      { type: 'finish', reason: 'stop' },
      { type: 'usage', usage: { inputTokens: 5, outputTokens: 7, cacheReadTokens: 2, reasoningTokens: 1 } },
    ]);
    const events = parse(sse);
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
    const completed = events.at(-1);
    expect(completed?.type).toBe('response.completed');
    expect(completed?.response?.output).toEqual([
      expect.objectContaining({ type: 'reasoning', summary: [{ type: 'summary_text', text: 'Think' }] }),
      expect.objectContaining({ type: 'message', status: 'completed' }),
      expect.objectContaining({ type: 'reasoning', summary: [], encrypted_content: 'nachos-redacted:opaque' }),
      expect.objectContaining({ type: 'function_call', call_id: 'call_a', arguments: '{"q":1}', status: 'completed' }),
      expect.objectContaining({ type: 'function_call', call_id: 'call_b', arguments: '{}', encrypted_content: 'sig' }),
    ]);
    expect(completed?.response?.usage).toEqual({
      input_tokens: 5,
      input_tokens_details: { cached_tokens: 2 },
      output_tokens: 7,
      output_tokens_details: { reasoning_tokens: 1 },
      total_tokens: 12,
    });
    const sdk = await throughSdk(sse);
    expect(sdk.events.map((event) => event.type)).toEqual(events.map((event) => event.type));
    expect(sdk.final).toMatchObject({ output: completed?.response?.output, output_text: 'Let me look.' });
  });
});
