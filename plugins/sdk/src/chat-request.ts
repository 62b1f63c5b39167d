import type { JsonObject } from './json.js';

/**
 * The canonical chat request: a superset of OpenAI Chat, Anthropic Messages, Gemini and Ollama, so that
 * nothing a client sends is lost between the gateway's protocol adapters and a provider plugin.
 */
export interface ChatRequest {
  /** The model as the client wrote it; llm-proxy rewrites it to the provider's id before a plugin sees it. */
  model: string;
  messages: Message[];
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  /** `false` asks for at most one tool call per turn (Anthropic `disable_parallel_tool_use`). */
  parallelToolCalls?: boolean;
  sampling: Sampling;
  responseFormat?: ResponseFormat;
  reasoning?: ReasoningOptions;
  /**
   * Anthropic beta features the client turned on (its `anthropic-beta` header): Anthropic receives them
   * as that header, Claude on Bedrock as `anthropic_beta`; other providers ignore them.
   */
  anthropicBeta?: string[];
  /** End-user id for the provider's abuse monitoring (OpenAI `user`, Anthropic `metadata.user_id`). */
  user?: string;
  metadata?: Record<string, string>;
  stream: boolean;
  /**
   * How many choices to answer (OpenAI's `n`), when more than one. llm-proxy sends it only to a provider
   * that declares `answersChoices`; the others get one choice per call.
   */
  choices?: number;
  /**
   * Fields the client sent that the canonical model does not know, tagged with the client's protocol
   * family. A provider of the same family merges them into its body untouched; others ignore them.
   */
  passthrough?: PassthroughFields;
}

export type ProtocolFamily = 'openai' | 'anthropic' | 'google' | 'ollama';

export interface PassthroughFields {
  family: ProtocolFamily;
  fields: JsonObject;
}

export type Role = 'system' | 'developer' | 'user' | 'assistant' | 'tool';

export interface Message {
  role: Role;
  content: ContentPart[];
  /** OpenAI's optional participant name. */
  name?: string;
}

export type ContentPart =
  | TextPart
  | ImagePart
  | DocumentPart
  | ToolCallPart
  | ToolResultPart
  | ReasoningPart
  | RedactedReasoningPart;

/**
 * A prompt-cache breakpoint after this part (Anthropic's `cache_control`, Bedrock's `cachePoint`); the
 * providers that cache on their own ignore it.
 */
export interface CacheControl {
  type: 'ephemeral';
  /** Anthropic's cache lifetime (`5m`, `1h`). */
  ttl?: string;
}

/** Parts that may end a cached prefix. */
export interface Cacheable {
  cacheControl?: CacheControl;
}

export interface TextPart extends Cacheable {
  type: 'text';
  text: string;
}

export type ImageSource =
  | { kind: 'url'; url: string }
  | { kind: 'base64'; mediaType: string; data: string };

export interface ImagePart extends Cacheable {
  type: 'image';
  source: ImageSource;
  /** OpenAI's `detail` hint; other providers ignore it. */
  detail?: 'auto' | 'low' | 'high';
}

/** A document's bytes (a PDF, say), a link to it, or its plain text. */
export type DocumentSource =
  | { kind: 'base64'; mediaType: string; data: string }
  | { kind: 'url'; url: string }
  | { kind: 'text'; text: string };

/**
 * A document given as input (OpenAI `file` parts, Anthropic `document` blocks, Gemini `inlineData` /
 * `fileData` of `application/pdf`, Bedrock `document` blocks). A provider that cannot read documents
 * refuses the request before calling upstream.
 */
export interface DocumentPart extends Cacheable {
  type: 'document';
  source: DocumentSource;
  /** The file's name as the client gave it (OpenAI `filename`). */
  filename?: string;
  /** Anthropic's `title` and `context`; others use the title as the document's name. */
  title?: string;
  context?: string;
  /** Anthropic's `citations.enabled`. */
  citations?: boolean;
}

/** A call the assistant made. `arguments` is JSON text, as OpenAI sends it, so partial JSON survives. */
export interface ToolCallPart extends Cacheable {
  type: 'tool-call';
  id: string;
  name: string;
  arguments: string;
  /** Opaque provider state to hand back with the call (Gemini's `thoughtSignature`). */
  signature?: string;
}

export interface ToolResultPart extends Cacheable {
  type: 'tool-result';
  toolCallId: string;
  /** The called tool's name, when the client said it; Gemini and Ollama need it. */
  toolName?: string;
  content: Array<TextPart | ImagePart>;
  isError?: boolean;
}

export interface ReasoningPart {
  type: 'reasoning';
  text: string;
  /** Anthropic's thinking signature; must be replayed verbatim in tool loops. */
  signature?: string;
}

export interface RedactedReasoningPart {
  type: 'redacted-reasoning';
  data: string;
}

export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the arguments object. */
  parameters: JsonObject;
  strict?: boolean;
}

export type ToolChoice =
  | { type: 'auto' }
  | { type: 'none' }
  | { type: 'required' }
  | { type: 'tool'; name: string };

export interface Sampling {
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  stop?: string[];
  seed?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
}

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; name: string; schema: JsonObject; strict?: boolean };

export type ReasoningEffort = 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh' | 'max';

export interface ReasoningOptions {
  effort?: ReasoningEffort;
  /** Anthropic/Gemini thinking budget in tokens. */
  budgetTokens?: number;
}
