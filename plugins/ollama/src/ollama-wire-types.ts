import type { JsonObject } from '@nachos/plugin-sdk';

/**
 * The request body of Ollama's native `POST /api/chat`, as far as the canonical model fills it.
 * Fields from Ollama-family clients (`keep_alive`, extra `options`) ride along under the index
 * signature.
 *
 * @see https://github.com/ollama/ollama/blob/main/docs/api.md#generate-a-chat-completion
 */
export interface OllamaChatBody {
  model: string;
  messages: OllamaMessage[];
  tools?: OllamaTool[];
  /** `"json"` or a JSON Schema the answer must follow. */
  format?: 'json' | JsonObject;
  options?: OllamaModelOptions;
  stream: boolean;
  /** `true`/`false`, or a level for models that take one (gpt-oss). */
  think?: boolean | OllamaThinkLevel;
  keep_alive?: string;
  [field: string]: unknown;
}

export type OllamaThinkLevel = 'low' | 'medium' | 'high';

/** Ollama's runtime options; only the ones the canonical sampling maps to are named. */
export interface OllamaModelOptions {
  num_predict?: number;
  num_ctx?: number;
  temperature?: number;
  top_p?: number;
  top_k?: number;
  stop?: string[];
  seed?: number;
  presence_penalty?: number;
  frequency_penalty?: number;
  [option: string]: unknown;
}

/** One chat message; `content` is a plain string, images travel beside it as bare base64. */
export interface OllamaMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  images?: string[];
  thinking?: string;
  tool_calls?: OllamaToolCall[];
  /** On tool results: the tool that was called (Ollama matches results by name). */
  tool_name?: string;
  /** On tool results: the call being answered (newer servers). */
  tool_call_id?: string;
}

/** A tool call as Ollama writes it: whole, with the arguments as an object, not JSON text. */
export interface OllamaToolCall {
  id?: string;
  function: { name: string; arguments: JsonObject };
}

/** Tools use the OpenAI function schema. */
export interface OllamaTool {
  type: 'function';
  function: { name: string; description?: string; parameters: JsonObject };
}
