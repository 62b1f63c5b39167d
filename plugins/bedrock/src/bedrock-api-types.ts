import type { JsonObject, JsonValue } from '@nachos/plugin-sdk';

/**
 * The parts of the Bedrock Converse API this plugin sends and reads.
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html
 */

export type BedrockImageFormat = 'png' | 'jpeg' | 'gif' | 'webp';

export interface BedrockTextBlock {
  text: string;
}

export interface BedrockImageBlock {
  /** `bytes` is base64 in the JSON body. */
  image: { format: BedrockImageFormat; source: { bytes: string } };
}

/** Bedrock's document formats; `name` may hold only letters, digits, spaces, hyphens, parentheses and brackets. */
export type BedrockDocumentFormat = 'pdf' | 'csv' | 'doc' | 'docx' | 'xls' | 'xlsx' | 'html' | 'txt' | 'md';

export interface BedrockDocumentBlock {
  /** `bytes` is base64 in the JSON body. */
  document: { format: BedrockDocumentFormat; name: string; source: { bytes: string } };
}

export interface BedrockToolUseBlock {
  toolUse: { toolUseId: string; name: string; input: JsonValue };
}

export interface BedrockToolResultBlock {
  toolResult: {
    toolUseId: string;
    content: Array<BedrockTextBlock | BedrockImageBlock>;
    status?: 'success' | 'error';
  };
}

export interface BedrockReasoningBlock {
  reasoningContent: { reasoningText: { text: string; signature?: string } } | { redactedContent: string };
}

/** A prompt-cache breakpoint: everything before it in its list may be cached. */
export interface BedrockCachePointBlock {
  cachePoint: { type: 'default' };
}

export type BedrockContentBlock =
  | BedrockCachePointBlock
  | BedrockTextBlock
  | BedrockImageBlock
  | BedrockDocumentBlock
  | BedrockToolUseBlock
  | BedrockToolResultBlock
  | BedrockReasoningBlock;

export interface BedrockMessage {
  role: 'user' | 'assistant';
  content: BedrockContentBlock[];
}

export interface BedrockToolSpec {
  toolSpec: { name: string; description?: string; inputSchema: { json: JsonObject } };
}

export type BedrockToolChoice = { auto: JsonObject } | { any: JsonObject } | { tool: { name: string } };

export interface BedrockInferenceConfig {
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  stopSequences?: string[];
}

/** The body of `POST /model/{modelId}/converse` and `/converse-stream` (the model is in the path). */
export interface BedrockConverseBody {
  messages: BedrockMessage[];
  system?: Array<BedrockTextBlock | BedrockCachePointBlock>;
  inferenceConfig?: BedrockInferenceConfig;
  toolConfig?: { tools: BedrockToolSpec[]; toolChoice?: BedrockToolChoice };
  /** Model-native fields Converse does not model, such as Claude's `thinking` and `top_k`. */
  additionalModelRequestFields?: JsonObject;
}

/** `POST /model/{id}/count-tokens`: the Converse input to count, as the model's tokenizer does. */
export interface BedrockCountTokensBody {
  input: { converse: Pick<BedrockConverseBody, 'messages' | 'system'> };
}

export interface BedrockUsage {
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
}
