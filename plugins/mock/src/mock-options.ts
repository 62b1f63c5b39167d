import type { PluginConfigSchema } from '@nachos/plugin-sdk';

/** How the mock behaves on one endpoint (`[endpoints.<id>.options]`). */
export interface MockOptions {
  /** Delay before the first event, like a model's time to first token. */
  first_token_ms: number;
  /** Delay between two deltas, like a model's inter-token latency. */
  chunk_delay_ms: number;
  /** Words in each text answer (capped by the request's `max_tokens`). */
  output_tokens: number;
}

export const MOCK_CONFIG_SCHEMA: PluginConfigSchema = {
  first_token_ms: { doc: 'Delay before the first event, in milliseconds.', format: 'nat', default: 0 },
  chunk_delay_ms: { doc: 'Delay between two deltas, in milliseconds.', format: 'nat', default: 0 },
  output_tokens: { doc: 'Words (one per text delta) in each text answer.', format: 'nat', default: 16 },
};

/** The options with defaults filled in, for callers that pass a partial object (tests, benchmarks). */
export function resolveMockOptions(options: Readonly<Partial<MockOptions>>): MockOptions {
  return {
    first_token_ms: options.first_token_ms ?? 0,
    chunk_delay_ms: options.chunk_delay_ms ?? 0,
    output_tokens: options.output_tokens ?? 16,
  };
}
