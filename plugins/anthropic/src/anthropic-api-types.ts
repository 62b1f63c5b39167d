import type { JsonObject } from '@nachos/plugin-sdk';

/**
 * The parts of the Anthropic Messages request this plugin writes. Fields it does not set (server
 * tools, `container`, `cache_control`…) reach the body through the Anthropic-family passthrough.
 *
 * @see https://docs.anthropic.com/en/api/messages
 */
export interface AnthropicMessagesBody {
  model: string;
  max_tokens: number;
  messages: AnthropicMessage[];
  system?: AnthropicTextBlock[];
  tools?: AnthropicTool[];
  tool_choice?: AnthropicToolChoice;
  thinking?: { type: 'enabled'; budget_tokens: number };
  temperature?: number;
  top_p?: number;
  top_k?: number;
  stop_sequences?: string[];
  metadata?: { user_id: string };
  output_config?: { format: { type: 'json_schema'; schema: JsonObject } };
  stream?: boolean;
  /** Passthrough fields of Anthropic-family clients, merged underneath. */
  [field: string]: unknown;
}

export interface AnthropicMessage {
  role: 'user' | 'assistant';
  content: AnthropicContentBlock[];
}

export type AnthropicContentBlock =
  | AnthropicTextBlock
  | AnthropicImageBlock
  | AnthropicDocumentBlock
  | AnthropicToolUseBlock
  | AnthropicToolResultBlock
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string };

/** A prompt-cache breakpoint at the end of the block it is on. */
export interface AnthropicCacheControl {
  type: 'ephemeral';
  ttl?: string;
}

export interface AnthropicTextBlock {
  cache_control?: AnthropicCacheControl;
  type: 'text';
  text: string;
}

export interface AnthropicImageBlock {
  cache_control?: AnthropicCacheControl;
  type: 'image';
  source: { type: 'base64'; media_type: string; data: string } | { type: 'url'; url: string };
}

export interface AnthropicDocumentBlock {
  cache_control?: AnthropicCacheControl;
  type: 'document';
  source:
    | { type: 'base64'; media_type: string; data: string }
    | { type: 'url'; url: string }
    | { type: 'text'; media_type: 'text/plain'; data: string };
  title?: string;
  context?: string;
  citations?: { enabled: boolean };
}

export interface AnthropicToolUseBlock {
  cache_control?: AnthropicCacheControl;
  type: 'tool_use';
  id: string;
  name: string;
  input: JsonObject;
}

export interface AnthropicToolResultBlock {
  cache_control?: AnthropicCacheControl;
  type: 'tool_result';
  tool_use_id: string;
  content?: Array<AnthropicTextBlock | AnthropicImageBlock>;
  is_error?: boolean;
}

export interface AnthropicTool {
  name: string;
  description?: string;
  input_schema: JsonObject;
  strict?: boolean;
}

export type AnthropicToolChoice =
  | { type: 'auto' | 'any'; disable_parallel_tool_use?: boolean }
  | { type: 'tool'; name: string; disable_parallel_tool_use?: boolean }
  | { type: 'none' };
