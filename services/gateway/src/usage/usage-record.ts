/** How a metered request ended; `refused` is the gateway's own refusal (model not allowed, a limit). */
export type UsageOutcome = 'success' | 'error' | 'cancelled' | 'refused';

/**
 * One request's usage, as reporters send it. The first eight fields keep the names existing billing
 * receivers parse (`prompt_tokens` and `completion_tokens` in OpenAI's sense: cached input included in
 * the first, reasoning in the second); the rest are nachos' own. No field ever holds a key.
 */
export interface UsageRecord {
  request_id: string;
  /** The end user the client named (OpenAI `user`, Anthropic `metadata.user_id`, or `x-user-id`), else the gateway key's name, else null. */
  user_id: string | null;
  /** The model that answered when known, else the one requested. */
  model: string;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  is_stream: boolean;
  /** When the request arrived, ISO 8601. */
  timestamp: string;

  /** The gateway key's name (`anonymous` when the gateway serves openly). */
  key_name: string;
  protocol: string;
  /** The client path, e.g. `/v1/chat/completions`. */
  path: string;
  requested_model: string | null;
  resolved_model: string | null;
  provider: string | null;
  /** The llm-proxy endpoint that served it. */
  endpoint: string | null;
  attempts: number | null;
  input_tokens: number;
  output_tokens: number;
  cached_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
  /** True when the counts are the gateway's estimate (a cancelled or failed stream the upstream never counted). */
  usage_estimated: boolean;
  outcome: UsageOutcome;
  /** The HTTP status the client got (200 for a stream that later failed in-band). */
  status: number;
  error_kind: string | null;
  latency_ms: number;
  time_to_first_token_ms: number | null;
}
