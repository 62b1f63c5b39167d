import type { UsageRecord } from '../../services/gateway/src/usage/usage-record.js';

/** A finished request's usage record as the gateway's unit tests start from; each test overrides what it looks at. */
export function sampleUsageRecord(fields: Partial<UsageRecord>): UsageRecord {
  return {
    request_id: 'r',
    user_id: null,
    model: 'gpt-4o',
    prompt_tokens: 10,
    completion_tokens: 5,
    total_tokens: 15,
    is_stream: false,
    timestamp: new Date().toISOString(),
    key_name: 'team-a',
    protocol: 'openai',
    path: '/v1/chat/completions',
    requested_model: 'gpt-4o',
    resolved_model: 'gpt-4o',
    provider: 'openai',
    endpoint: 'openai',
    attempts: 1,
    input_tokens: 10,
    output_tokens: 5,
    cached_tokens: 0,
    cache_write_tokens: 0,
    reasoning_tokens: 0,
    usage_estimated: false,
    outcome: 'success',
    status: 200,
    error_kind: null,
    latency_ms: 100,
    time_to_first_token_ms: 80,
    ...fields,
  };
}
