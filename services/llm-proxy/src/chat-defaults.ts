import type { ChatRequest } from '@nachos/plugin-sdk';

export interface ChatDefaults {
  maxTokens: number | null;
  temperature: number | null;
}

/** `[llm] max_tokens` and `temperature` fill in what a request leaves out; what it says always wins. */
export function applyChatDefaults(request: ChatRequest, defaults: ChatDefaults): ChatRequest {
  const sampling = { ...request.sampling };
  if (sampling.maxTokens === undefined && defaults.maxTokens !== null) sampling.maxTokens = defaults.maxTokens;
  if (sampling.temperature === undefined && defaults.temperature !== null) sampling.temperature = defaults.temperature;
  return { ...request, sampling };
}
