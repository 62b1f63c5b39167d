import type { JsonObject } from '@nachos/plugin-sdk';

/**
 * The parts of a `generateContent` request this plugin writes. Fields it does not set
 * (`safetySettings`, `cachedContent`, built-in tools…) reach the body through the Google-family
 * passthrough.
 *
 * @see https://ai.google.dev/api/generate-content
 */
export interface GeminiRequestBody {
  contents: GeminiContent[];
  systemInstruction?: { parts: Array<{ text: string }> };
  tools?: unknown[];
  toolConfig?: { functionCallingConfig: { mode: 'AUTO' | 'ANY' | 'NONE'; allowedFunctionNames?: string[] } };
  generationConfig: GeminiGenerationConfig;
  /** Passthrough fields of Google-family clients, merged underneath. */
  [field: string]: unknown;
}

export interface GeminiContent {
  role: 'user' | 'model';
  parts: GeminiPart[];
}

export interface GeminiInlineData {
  mimeType: string;
  /** Base64. */
  data: string;
}

export type GeminiPart =
  | { text: string; thought?: boolean; thoughtSignature?: string }
  | { inlineData: GeminiInlineData }
  | { fileData: { fileUri: string; mimeType?: string } }
  | { functionCall: { name: string; args: JsonObject }; thoughtSignature?: string }
  | { functionResponse: { name: string; response: JsonObject } };

export interface GeminiThinkingConfig {
  thinkingBudget?: number;
  thinkingLevel?: 'low' | 'high';
  includeThoughts?: boolean;
}

export interface GeminiGenerationConfig {
  maxOutputTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  stopSequences?: string[];
  seed?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  responseMimeType?: string;
  responseJsonSchema?: JsonObject;
  thinkingConfig?: GeminiThinkingConfig;
  [field: string]: unknown;
}
