import type { ChatRequest, JsonObject, ToolChoice } from '@nachos/plugin-sdk';
import type { BedrockConverseBody, BedrockInferenceConfig, BedrockToolChoice, BedrockToolSpec } from './bedrock-api-types.js';
import { findBedrockModel } from './bedrock-catalogue.js';
import { convertToBedrockMessages, type BedrockPrompt } from './convert-to-bedrock-messages.js';
import { resolveClaudeThinking } from './resolve-claude-thinking.js';

/**
 * Converts a canonical request into a Converse body; the model goes into the URL path, not the body.
 * See `convertToBedrockMessages` for the conversation.
 *
 * Decisions worth knowing:
 * - Converse has no `none` tool choice: with `none`, the tools are left out, unless the history holds
 *   tool blocks, which Bedrock refuses without a `toolConfig`; then the tools stay, on `auto`.
 * - A history with tool blocks but a request without tools (a summary over an agent's transcript)
 *   gets tool specs named after the tools it used, with an open schema, for the same reason.
 * - `temperature` is clamped to Converse's 0–1 (OpenAI clients send up to 2).
 * - Claude's own knobs travel in `additionalModelRequestFields`: `top_k`, the client's
 *   `anthropic_beta` features and `thinking` (see
 *   `resolveClaudeThinking`). With thinking on, `temperature` and `top_k` are left out and `top_p` is
 *   kept only from 0.95, as Claude requires; whitespace-only stop sequences, which Claude refuses,
 *   are dropped. Other models get no `top_k`: Converse has no common field for it.
 * - Seed, penalties, `user`, metadata and response formats have no Converse counterpart and are
 *   not sent.
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html
 */
export function convertToBedrockRequest(request: ChatRequest): BedrockConverseBody {
  const claude = isClaudeModel(request.model);
  const prompt = convertToBedrockMessages(request.messages, claude);
  const body: BedrockConverseBody = { messages: prompt.messages };
  if (prompt.system.length > 0) {
    body.system = prompt.system;
  }
  const toolConfig = convertToolConfig(request, prompt);
  if (toolConfig !== undefined) {
    body.toolConfig = toolConfig;
  }

  const { maxTokens, budgetTokens } = claude
    ? resolveClaudeThinking(request, findBedrockModel(request.model)?.maxOutputTokens)
    : { maxTokens: request.sampling.maxTokens, budgetTokens: undefined };
  const thinking = budgetTokens !== undefined;
  const { temperature, topP, topK, stop } = request.sampling;
  const inferenceConfig: BedrockInferenceConfig = {};
  if (maxTokens !== undefined) {
    inferenceConfig.maxTokens = maxTokens;
  }
  if (temperature !== undefined && !thinking) {
    inferenceConfig.temperature = Math.min(1, Math.max(0, temperature));
  }
  if (topP !== undefined && (!thinking || topP >= 0.95)) {
    inferenceConfig.topP = topP;
  }
  const stopSequences = stop?.filter((sequence) => (claude ? sequence.trim() !== '' : sequence !== '')) ?? [];
  if (stopSequences.length > 0) {
    inferenceConfig.stopSequences = stopSequences;
  }
  if (Object.keys(inferenceConfig).length > 0) {
    body.inferenceConfig = inferenceConfig;
  }

  const additional: JsonObject = {};
  if (claude && topK !== undefined && !thinking) {
    additional['top_k'] = topK;
  }
  if (budgetTokens !== undefined) {
    additional['thinking'] = { type: 'enabled', budget_tokens: budgetTokens };
  }
  if (claude && request.anthropicBeta) {
    additional['anthropic_beta'] = request.anthropicBeta;
  }
  if (Object.keys(additional).length > 0) {
    body.additionalModelRequestFields = additional;
  }
  return body;
}

/** Claude by id, inference profile (`us.anthropic.claude-…`) or ARN (`…/anthropic.claude-…`). */
export function isClaudeModel(model: string): boolean {
  return /anthropic\.claude/i.test(model);
}

function convertToolConfig(request: ChatRequest, prompt: BedrockPrompt): BedrockConverseBody['toolConfig'] {
  const tools = (request.tools ?? []).map(
    (tool): BedrockToolSpec => ({
      toolSpec: {
        name: tool.name,
        ...(tool.description === undefined || tool.description === '' ? {} : { description: tool.description }),
        inputSchema: { json: { type: 'object', ...tool.parameters } },
      },
    }),
  );
  if (tools.length === 0) {
    return prompt.hasToolHistory && prompt.historyToolNames.length > 0
      ? { tools: prompt.historyToolNames.map((name) => ({ toolSpec: { name, inputSchema: { json: { type: 'object' } } } })) }
      : undefined;
  }
  if (request.toolChoice?.type === 'none') {
    return prompt.hasToolHistory ? { tools } : undefined;
  }
  const toolChoice = convertToolChoice(request.toolChoice);
  return toolChoice === undefined ? { tools } : { tools, toolChoice };
}

function convertToolChoice(choice: ToolChoice | undefined): BedrockToolChoice | undefined {
  switch (choice?.type) {
    case 'auto':
      return { auto: {} };
    case 'required':
      return { any: {} };
    case 'tool':
      return { tool: { name: choice.name } };
    default:
      return undefined;
  }
}
