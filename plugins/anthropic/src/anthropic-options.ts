import type { PluginConfigSchema } from '@nachos/plugin-sdk';

/** An Anthropic endpoint's options (`[endpoints.<id>.options]`), validated by the loader. */
export interface AnthropicOptions {
  /** Budget for one upstream call, streamed body included, in milliseconds; 0 means none. */
  timeout_ms: number;
  /** `max_tokens` for requests that name none; 0 derives it from the model's catalogue entry. */
  default_max_tokens: number;
  /** The `anthropic-version` header; the Messages API has kept `2023-06-01` since its launch. */
  anthropic_version: string;
  /** How the key travels: `x-api-key` (Anthropic) or `bearer` (hosts and gateways that want `Authorization`). */
  auth_scheme: 'x-api-key' | 'bearer';
}

export const ANTHROPIC_CONFIG_SCHEMA: PluginConfigSchema = {
  timeout_ms: {
    doc: 'Budget for one upstream call, streamed body included, in milliseconds (0: none).',
    format: 'nat',
    default: 600_000,
  },
  default_max_tokens: {
    doc: "max_tokens for requests that set none (Anthropic requires it); 0 uses the model's maximum output, else 4096.",
    format: 'nat',
    default: 0,
  },
  anthropic_version: {
    doc: 'Value of the anthropic-version header.',
    format: String,
    default: '2023-06-01',
  },
  auth_scheme: {
    doc: 'How the key is sent: "x-api-key" (Anthropic) or "bearer" (Authorization: Bearer, as ANTHROPIC_AUTH_TOKEN does).',
    format: ['x-api-key', 'bearer'],
    default: 'x-api-key',
  },
};
