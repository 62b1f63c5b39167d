import type { OpenAIChatBody, OpenAIChatMessage } from '@nachos/plugin-sdk';
import {
  acceptsSamplingWithoutReasoning,
  isOpenAIReasoningModel,
  lacksSystemRole,
  rejectsStopSequences,
} from './openai-model-family.js';

/**
 * Fits a converted body to what the target OpenAI model accepts, so that a request an OpenAI
 * client wrote for gpt-4o still works when routed to o3 or gpt-5 (and the reverse):
 *
 * - reasoning models get `max_completion_tokens` instead of `max_tokens`, `developer` instead of
 *   `system` (`user` on o1-mini / o1-preview), no `temperature` unless it is 1, no `top_p`,
 *   penalties, `logit_bias` or logprobs, and no `stop` on o3 / o4-mini;
 * - gpt-5.1+ with `reasoning_effort: "none"` keep temperature, top_p and logprobs;
 * - other models get no `reasoning_effort`, which they reject.
 *
 * @see https://platform.openai.com/docs/guides/reasoning
 */
export function applyOpenAIModelRules(body: OpenAIChatBody): OpenAIChatBody {
  const model = body.model;
  if (!isOpenAIReasoningModel(model)) {
    const fitted = { ...body };
    delete fitted.reasoning_effort;
    return fitted;
  }
  const fitted: OpenAIChatBody = { ...body, messages: body.messages.map((message) => renameSystemRole(message, model)) };
  if (fitted.max_tokens !== undefined) {
    fitted.max_completion_tokens ??= fitted.max_tokens;
    delete fitted.max_tokens;
  }
  const keepsSampling = acceptsSamplingWithoutReasoning(model) && fitted.reasoning_effort === 'none';
  if (!keepsSampling) {
    if (fitted.temperature !== 1) {
      delete fitted.temperature;
    }
    delete fitted.top_p;
    delete fitted['logprobs'];
    delete fitted['top_logprobs'];
  }
  delete fitted.presence_penalty;
  delete fitted.frequency_penalty;
  delete fitted['logit_bias'];
  if (rejectsStopSequences(model)) {
    delete fitted.stop;
  }
  return fitted;
}

function renameSystemRole(message: OpenAIChatMessage, model: string): OpenAIChatMessage {
  if (message.role !== 'system' && message.role !== 'developer') {
    return message;
  }
  return { ...message, role: lacksSystemRole(model) ? 'user' : 'developer' };
}
