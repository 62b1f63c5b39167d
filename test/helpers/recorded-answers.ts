import type { FakeUpstream } from '@nachos/plugin-sdk/testing';

/** A tool as a client declares it: a name, what it does and a JSON Schema for its arguments. */
export interface DeclaredTool {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

/**
 * What a fake provider's recorded answers say, read from the fixtures it replays, so that a test can
 * check what a client received against the recording rather than against a copy of it.
 */
export interface RecordedAnswers {
  /** The text of the recorded text answer. */
  text: string;
  /** The token counts of the recorded text answer, with OpenAI's semantics (input includes cached input). */
  usage: { inputTokens: number; outputTokens: number };
  /** The tool the recorded tool-call answer calls, declared as the recording's request declared it. */
  tool: DeclaredTool;
  /** The arguments the recorded tool call passes. */
  toolArguments: Record<string, unknown>;
  /** The message of the provider's own error answer for a failing model. */
  failureMessage: string;
}

/**
 * A real HTTP server speaking one provider's wire format from recorded fixtures. It records every
 * request, answers a request that offers tools (and is not answering a tool call) with the recorded
 * tool call, anything else with the recorded text, `failingModels` with the provider's error, and
 * refuses what the real provider would refuse (a missing key, a tool result without its call).
 */
export interface FakeProviderUpstream extends FakeUpstream {
  recorded: RecordedAnswers;
}
