/** Token counts a pass-through response reported. */
export interface PassthroughUsage {
  inputTokens: number;
  outputTokens: number;
}

/**
 * The token counts in one JSON value from an upstream answer, in whichever of the common shapes it uses:
 * OpenAI (`usage.prompt_tokens`/`completion_tokens`, or `input_tokens`/`output_tokens` in the Responses
 * API, also under `response.usage`), Anthropic (`usage`, `message.usage` in `message_start`), Gemini
 * (`usageMetadata`) and Ollama (`prompt_eval_count`/`eval_count`). Undefined when it holds none.
 */
export function readUsageFields(value: unknown): Partial<PassthroughUsage> | undefined {
  if (!isRecord(value)) return undefined;
  if (typeof value.prompt_eval_count === 'number' || typeof value.eval_count === 'number') {
    return counts(value.prompt_eval_count, value.eval_count);
  }
  const nested = [value.usage, isRecord(value.response) ? value.response.usage : undefined, isRecord(value.message) ? value.message.usage : undefined];
  for (const usage of nested) {
    if (isRecord(usage)) return counts(usage.prompt_tokens ?? usage.input_tokens, usage.completion_tokens ?? usage.output_tokens);
  }
  if (isRecord(value.usageMetadata)) return counts(value.usageMetadata.promptTokenCount, value.usageMetadata.candidatesTokenCount);
  return undefined;
}

function counts(input: unknown, output: unknown): Partial<PassthroughUsage> | undefined {
  const usage: Partial<PassthroughUsage> = {};
  if (typeof input === 'number' && Number.isFinite(input)) usage.inputTokens = input;
  if (typeof output === 'number' && Number.isFinite(output)) usage.outputTokens = output;
  return usage.inputTokens === undefined && usage.outputTokens === undefined ? undefined : usage;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
