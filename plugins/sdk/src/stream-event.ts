/**
 * The canonical response: an ordered stream of events. Non-streaming clients get the same events,
 * aggregated by the gateway, so one code path serves both.
 *
 * Grammar a provider must follow (the conformance kit checks it): one `start` first; any number of
 * content events; every `tool-call-start` closed by one `tool-call-end` with the same index; exactly
 * one `finish`; `usage` may come before or after `finish`. Failures are thrown as `ProviderError`,
 * never yielded. A request for several choices (`ChatRequest.choices`) is answered with `choice` events:
 * what follows one belongs to that choice, which has its own tool-call indexes and its own `finish`.
 */
export type StreamEvent =
  | StartEvent
  | TextDeltaEvent
  | ReasoningDeltaEvent
  | RedactedReasoningEvent
  | ToolCallStartEvent
  | ToolCallDeltaEvent
  | ToolCallEndEvent
  | FinishEvent
  | UsageEvent
  | ChoiceEvent;

export interface StartEvent {
  type: 'start';
  /** The provider's response id, or one the plugin made up. */
  id: string;
  /** The model that actually answered, as the provider names it. */
  model: string;
  /** Filled in by llm-proxy: the plugin id that served the request. */
  provider?: string;
  /** Filled in by llm-proxy: the endpoint id that served the request. */
  endpoint?: string;
  /** Filled in by llm-proxy: how many upstream attempts it took, this one included. */
  attempts?: number;
  /** Filled in by llm-proxy: how many choices the call answers, when the provider answers several (see `ChoiceEvent`). */
  choices?: number;
}

export interface TextDeltaEvent {
  type: 'text-delta';
  text: string;
}

export interface ReasoningDeltaEvent {
  type: 'reasoning-delta';
  text: string;
  /** A thinking signature arrives as its own delta at the end of a thinking block. */
  signature?: string;
}

export interface RedactedReasoningEvent {
  type: 'redacted-reasoning';
  data: string;
}

export interface ToolCallStartEvent {
  type: 'tool-call-start';
  /** Ordinal of the call within this response, from 0; later events name the call by it. */
  index: number;
  id: string;
  name: string;
  /** Opaque provider state to replay with the call (Gemini's `thoughtSignature`). */
  signature?: string;
}

export interface ToolCallDeltaEvent {
  type: 'tool-call-delta';
  index: number;
  /** A fragment of the JSON arguments text. */
  argumentsDelta: string;
}

export interface ToolCallEndEvent {
  type: 'tool-call-end';
  index: number;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'other';

export interface FinishEvent {
  type: 'finish';
  reason: FinishReason;
  /** The stop sequence that ended the text, where the provider says which. */
  stopSequence?: string;
}

/**
 * Token counts with OpenAI's semantics: `inputTokens` includes cached input, `outputTokens` includes
 * reasoning. A later usage event replaces an earlier one (providers report cumulative totals).
 */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  reasoningTokens?: number;
}

export interface UsageEvent {
  type: 'usage';
  usage: Usage;
}

/** The events after it, up to the next `choice`, belong to choice `index` (from 0); before any, to choice 0. */
export interface ChoiceEvent {
  type: 'choice';
  index: number;
}
