import { UsageMeter, type MeterStart } from './usage-meter.js';

const start: MeterStart = {
  requestId: 'req-1',
  keyName: 'team-a',
  user: 'user-7',
  protocol: 'openai',
  path: '/v1/chat/completions',
  requestedModel: 'fast',
  isStream: true,
  estimatedInputTokens: 40,
};

function meter(): { meter: UsageMeter; open: () => number } {
  let open = 0;
  const instance = new UsageMeter(start, { streamOpened: () => (open += 1), streamClosed: () => (open -= 1) });
  return { meter: instance, open: () => open };
}

describe('UsageMeter', () => {
  it('records a served stream with the upstream usage, keeping the billing field names', () => {
    const { meter: usage, open } = meter();
    usage.engage(true);
    usage.observe({ type: 'start', id: 'r', model: 'gpt-4o-mini', provider: 'openai', endpoint: 'openai-eu', attempts: 2 });
    usage.streamOpened();
    expect(open()).toBe(1);
    usage.observe({ type: 'text-delta', text: 'Hello' });
    usage.observe({ type: 'usage', usage: { inputTokens: 12, outputTokens: 30, cacheReadTokens: 4, reasoningTokens: 10 } });
    usage.observe({ type: 'finish', reason: 'stop' });
    const record = usage.finish({ protocol: 'openai', status: 200, errorKind: undefined, clientClosed: false });
    expect(open()).toBe(0);
    expect(record).toMatchObject({
      request_id: 'req-1',
      user_id: 'user-7',
      model: 'gpt-4o-mini',
      prompt_tokens: 12,
      completion_tokens: 30,
      total_tokens: 42,
      is_stream: true,
      key_name: 'team-a',
      requested_model: 'fast',
      resolved_model: 'gpt-4o-mini',
      provider: 'openai',
      endpoint: 'openai-eu',
      attempts: 2,
      cached_tokens: 4,
      reasoning_tokens: 10,
      usage_estimated: false,
      outcome: 'success',
      status: 200,
      error_kind: null,
    });
    expect(record?.time_to_first_token_ms).toEqual(expect.any(Number));
    expect(Date.parse(record?.timestamp ?? '')).not.toBeNaN();
  });

  it('meters a cancelled stream from its estimate: the request’s input and the output sent so far', () => {
    const { meter: usage } = meter();
    usage.engage(true);
    usage.observe({ type: 'start', id: 'r', model: 'm', provider: 'p', endpoint: 'e' });
    usage.observe({ type: 'text-delta', text: 'x'.repeat(40) });
    const record = usage.finish({ protocol: 'openai', status: 200, errorKind: undefined, clientClosed: true });
    expect(record).toMatchObject({ outcome: 'cancelled', error_kind: 'cancelled', input_tokens: 40, output_tokens: 10, usage_estimated: true });
    expect(usage.usage()).toEqual({ inputTokens: 40, totalTokens: 50 });
  });

  it('counts nothing for a request that failed before any provider was chosen', () => {
    const { meter: usage } = meter();
    usage.engage(false);
    const record = usage.finish({ protocol: 'openai', status: 404, errorKind: 'not_found', clientClosed: false });
    expect(record).toMatchObject({ outcome: 'error', status: 404, error_kind: 'not_found', total_tokens: 0, model: 'fast', resolved_model: null });
  });

  it('records the gateway’s own refusals, and nothing for requests that never engaged a model', () => {
    const refused = meter().meter;
    refused.refuse();
    expect(refused.finish({ protocol: 'anthropic', status: 429, errorKind: 'rate_limited', clientClosed: false })).toMatchObject({
      outcome: 'refused',
      protocol: 'anthropic',
      status: 429,
    });
    expect(meter().meter.finish({ protocol: 'openai', status: 200, errorKind: undefined, clientClosed: false })).toBeUndefined();
  });

  it('records embeddings with the upstream count', () => {
    const { meter: usage } = meter();
    usage.engage(false);
    usage.observeEmbedding({ inputTokens: 9, model: 'embed-1', provider: 'openai', endpoint: 'oai' });
    expect(usage.finish({ protocol: 'ollama', status: 200, errorKind: undefined, clientClosed: false })).toMatchObject({
      is_stream: false,
      prompt_tokens: 9,
      completion_tokens: 0,
      resolved_model: 'embed-1',
      provider: 'openai',
    });
  });
});
