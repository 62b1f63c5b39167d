import type { JsonObject } from './json.js';

/**
 * The request body of OpenAI's `POST /chat/completions`, as far as the canonical model fills it.
 * Passthrough fields from OpenAI-family clients ride along under the index signature.
 *
 * @see https://platform.openai.com/docs/api-reference/chat/create
 */
export interface OpenAIChatBody {
  model: string;
  messages: OpenAIChatMessage[];
  tools?: OpenAIChatTool[];
  tool_choice?: OpenAIChatToolChoice;
  parallel_tool_calls?: boolean;
  response_format?: OpenAIResponseFormat;
  max_tokens?: number;
  /** Replaces `max_tokens` for reasoning models, which reject the old name. */
  max_completion_tokens?: number;
  temperature?: number;
  top_p?: number;
  stop?: string[];
  seed?: number;
  presence_penalty?: number;
  frequency_penalty?: number;
  reasoning_effort?: string;
  user?: string;
  stream: boolean;
  stream_options?: { include_usage: boolean };
  [field: string]: unknown;
}

export type OpenAIChatMessage =
  | { role: 'system' | 'developer' | 'user'; content: string | OpenAIUserContentPart[]; name?: string }
  | { role: 'assistant'; content: string | null; tool_calls?: OpenAIToolCall[]; name?: string }
  | { role: 'tool'; tool_call_id: string; content: string };

export type OpenAIUserContentPart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string; detail?: 'auto' | 'low' | 'high' } }
  | { type: 'file'; file: { file_data: string; filename?: string } };

export interface OpenAIToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface OpenAIChatTool {
  type: 'function';
  function: { name: string; description?: string; parameters: JsonObject; strict?: boolean };
}

export type OpenAIChatToolChoice = 'auto' | 'none' | 'required' | { type: 'function'; function: { name: string } };

export type OpenAIResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; json_schema: { name: string; schema: JsonObject; strict?: boolean } };
