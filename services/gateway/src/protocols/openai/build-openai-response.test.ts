import { readFileSync } from 'node:fs';
import type { AggregatedResponse } from '../aggregate-events.js';
import { buildOpenAIResponse } from './build-openai-response.js';
import { parseOpenAIResponsesRequest } from './parse-openai-responses-request.js';

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../../../../test/fixtures/protocols/openai-responses/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

function aggregated(overrides: Partial<AggregatedResponse>): AggregatedResponse {
  return {
    id: 'chatcmpl-1',
    model: 'm',
    provider: 'p',
    endpoint: 'e',
    attempts: 1,
    text: '',
    reasoning: '',
    redactedReasoning: [],
    toolCalls: [],
    finishReason: 'stop',
    usage: { inputTokens: 0, outputTokens: 0 },
    ...overrides,
  };
}

describe('buildOpenAIResponse', () => {
  it('answers the recorded function-call request in the recorded shape', () => {
    const request = fixture('responses-functioncall.request.json');
    const expected = fixture('responses-functioncall.response.json');
    const { settings } = parseOpenAIResponsesRequest(request);
    const body = buildOpenAIResponse(
      aggregated({
        model: 'gpt-5.4',
        toolCalls: [{ id: 'call_unLAR8MvFNptuiZK6K6HCy5k', name: 'get_current_weather', arguments: '{"location":"Boston, MA","unit":"celsius"}' }],
        finishReason: 'tool_calls',
        usage: { inputTokens: 291, outputTokens: 23 },
      }),
      { id: 'resp_67ca09c5efe0819096d0511c92b8c890096610f474011cc0', createdAt: 1741294021, model: 'gpt-5.4', settings },
    );
    const { id: itemId, ...call } = (expected.output as Array<Record<string, unknown>>)[0]!;
    expect(body).toMatchObject({
      id: expected.id,
      object: 'response',
      created_at: expected.created_at,
      status: 'completed',
      error: null,
      incomplete_details: null,
      model: 'gpt-5.4',
      output: [call],
      parallel_tool_calls: true,
      tool_choice: 'auto',
      tools: request.tools,
      usage: expected.usage,
    });
    expect(body.output[0]?.id).toMatch(/^fc_/);
    expect(body.output[0]?.id).not.toBe(itemId);
  });

  it('puts reasoning first with its state, then the text; cut short is incomplete with the reason', () => {
    const body = buildOpenAIResponse(
      aggregated({ reasoning: 'Hmm.', reasoningSignature: 'sig', text: 'Partial', finishReason: 'length', usage: { inputTokens: 3, outputTokens: 4, reasoningTokens: 2 } }),
      { id: 'resp_1', createdAt: 1, model: 'asked', settings: {} },
    );
    expect(body).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
      model: 'm',
      output: [
        { type: 'reasoning', summary: [{ type: 'summary_text', text: 'Hmm.' }], encrypted_content: 'sig' },
        { type: 'message', role: 'assistant', status: 'incomplete', content: [{ type: 'output_text', text: 'Partial', annotations: [] }] },
      ],
      usage: { input_tokens: 3, output_tokens: 4, total_tokens: 7, output_tokens_details: { reasoning_tokens: 2 }, input_tokens_details: { cached_tokens: 0 } },
    });
    expect(body.completed_at).toBeNull();
  });

  it('names the namespace of a call to a namespaced function tool', () => {
    const body = buildOpenAIResponse(aggregated({ toolCalls: [{ id: 'call_1', name: 'spawn_agent', arguments: '' }], finishReason: 'tool_calls' }), {
      id: 'resp_1',
      createdAt: 1,
      model: 'm',
      settings: {},
      toolNamespaces: new Map([['spawn_agent', 'multi_agent_v1']]),
    });
    expect(body.output).toEqual([expect.objectContaining({ name: 'spawn_agent', namespace: 'multi_agent_v1', arguments: '{}', call_id: 'call_1' })]);
  });
});
