import type { OpenAIChatBody, OpenAIChatMessage } from '@nachos/plugin-sdk';
import { hasNoSystemRole, isReasoningModel, refusesStopSequences, takesSamplingWithoutReasoning } from './openai-model-family.js';

/**
 * Fits a converted body to the model behind the deployment, named by the model the request was
 * routed as (a deployment's own name says nothing about its model). Reasoning models get
 * `max_completion_tokens`, `developer` instead of `system` (`user` for o1-mini / o1-preview), and
 * lose the sampling fields they reject (`temperature` stays only at 1, or on gpt-5.1+ with effort
 * `none`); other models lose `reasoning_effort`, which they reject.
 *
 * @see https://learn.microsoft.com/azure/ai-foundry/openai/how-to/reasoning#not-supported
 */
export function fitBodyToModel(body: OpenAIChatBody, model: string): OpenAIChatBody {
  const fitted: OpenAIChatBody = { ...body };
  if (!isReasoningModel(model)) {
    delete fitted.reasoning_effort;
    return fitted;
  }
  fitted.messages = body.messages.map((message) => withReasoningModelRole(message, model));
  if (fitted.max_tokens !== undefined) {
    fitted.max_completion_tokens ??= fitted.max_tokens;
    delete fitted.max_tokens;
  }
  if (!(takesSamplingWithoutReasoning(model) && fitted.reasoning_effort === 'none')) {
    if (fitted.temperature !== 1) {
      delete fitted.temperature;
    }
    for (const field of ['top_p', 'logprobs', 'top_logprobs']) {
      delete fitted[field];
    }
  }
  for (const field of ['presence_penalty', 'frequency_penalty', 'logit_bias']) {
    delete fitted[field];
  }
  if (refusesStopSequences(model)) {
    delete fitted.stop;
  }
  return fitted;
}

function withReasoningModelRole(message: OpenAIChatMessage, model: string): OpenAIChatMessage {
  if (message.role !== 'system' && message.role !== 'developer') {
    return message;
  }
  return { ...message, role: hasNoSystemRole(model) ? 'user' : 'developer' };
}
