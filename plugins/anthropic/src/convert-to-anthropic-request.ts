import type { ChatRequest, ToolChoice } from '@nachos/plugin-sdk';
import type { AnthropicMessagesBody, AnthropicTool, AnthropicToolChoice } from './anthropic-api-types.js';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages.js';
import { resolveAnthropicTokenLimits } from './resolve-anthropic-token-limits.js';

/**
 * Converts a canonical request into a Messages API body (see `convertToAnthropicMessages` for the
 * conversation and `resolveAnthropicTokenLimits` for `max_tokens` and thinking).
 *
 * Decisions worth knowing:
 * - Passthrough fields of Anthropic-family clients (`cache_control`, `service_tier`, `container`,
 *   server tools' settings…) are merged underneath, so canonical fields always win.
 * - `temperature` is clamped to Anthropic's 0–1 (OpenAI clients send up to 2). With thinking on,
 *   `temperature` and `top_k` are left out and `top_p` is kept only from 0.95, as Anthropic requires.
 * - Whitespace-only stop sequences (OpenAI clients send `"\n"`) are dropped: Anthropic refuses them.
 * - `parallelToolCalls: false` becomes `disable_parallel_tool_use` on the tool choice.
 * - A `json_schema` response format becomes `output_config.format`; `json_object` has no Anthropic
 *   counterpart and is left to the prompt.
 * - `user` becomes `metadata.user_id`, the only metadata Anthropic accepts.
 *
 * @see https://docs.anthropic.com/en/api/messages
 */
export function convertToAnthropicRequest(request: ChatRequest, defaultMaxTokens: number): AnthropicMessagesBody {
  const passthrough = request.passthrough?.family === 'anthropic' ? request.passthrough.fields : {};
  const { system, messages } = convertToAnthropicMessages(request.messages);
  const limits = resolveAnthropicTokenLimits(request, defaultMaxTokens);
  const body: AnthropicMessagesBody = {
    ...passthrough,
    model: request.model,
    max_tokens: limits.maxTokens,
    messages,
    stream: request.stream,
  };
  if (system.length > 0) {
    body.system = system;
  }
  if (request.tools !== undefined && request.tools.length > 0) {
    body.tools = request.tools.map(
      (tool): AnthropicTool => ({
        name: tool.name,
        ...(tool.description === undefined ? {} : { description: tool.description }),
        input_schema: { type: 'object', ...tool.parameters },
        ...(tool.strict === true ? { strict: true } : {}),
      }),
    );
    const toolChoice = convertToolChoice(request.toolChoice, request.parallelToolCalls);
    if (toolChoice !== undefined) {
      body.tool_choice = toolChoice;
    }
  }
  if (limits.thinkingBudget !== undefined) {
    body.thinking = { type: 'enabled', budget_tokens: limits.thinkingBudget };
  }
  const thinking = body.thinking !== undefined;
  const { temperature, topP, topK, stop } = request.sampling;
  if (temperature !== undefined && !thinking) {
    body.temperature = Math.min(1, Math.max(0, temperature));
  }
  if (topP !== undefined && (!thinking || topP >= 0.95)) {
    body.top_p = topP;
  }
  if (topK !== undefined && !thinking) {
    body.top_k = topK;
  }
  const stopSequences = stop?.filter((sequence) => sequence.trim() !== '') ?? [];
  if (stopSequences.length > 0) {
    body.stop_sequences = stopSequences;
  }
  if (request.user !== undefined && request.user !== '') {
    body.metadata = { user_id: request.user };
  }
  if (request.responseFormat?.type === 'json_schema') {
    body.output_config = { format: { type: 'json_schema', schema: request.responseFormat.schema } };
  }
  return body;
}

function convertToolChoice(choice: ToolChoice | undefined, parallelToolCalls: boolean | undefined): AnthropicToolChoice | undefined {
  const serial = parallelToolCalls === false ? { disable_parallel_tool_use: true } : {};
  switch (choice?.type) {
    case undefined:
      return parallelToolCalls === false ? { type: 'auto', ...serial } : undefined;
    case 'auto':
      return { type: 'auto', ...serial };
    case 'required':
      return { type: 'any', ...serial };
    case 'tool':
      return { type: 'tool', name: choice.name, ...serial };
    case 'none':
      return { type: 'none' };
  }
}
