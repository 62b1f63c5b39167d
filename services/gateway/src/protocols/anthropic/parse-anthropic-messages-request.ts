import type { ChatRequest, ReasoningOptions } from '@nachos/plugin-sdk';
import { invalidRequest } from '../../errors/gateway-error.js';
import { isObject, optionalBoolean, optionalNumber, requireObject, requireString, unclaimedFields } from '../request-fields.js';
import { readAnthropicMessages, readAnthropicSystem } from './read-anthropic-messages.js';
import { readAnthropicToolChoice, readAnthropicTools } from './read-anthropic-tools.js';

/** Fields this parser maps; everything else travels as Anthropic-family pass-through. */
const CLAIMED = [
  'model', 'messages', 'system', 'max_tokens', 'tools', 'tool_choice', 'temperature', 'top_p', 'top_k',
  'stop_sequences', 'metadata', 'stream',
];

/** Anthropic's documented floor for a thinking budget. */
const MIN_THINKING_BUDGET = 1024;

/**
 * A `POST /v1/messages` body → the canonical request. `max_tokens` is required, as Anthropic requires
 * it; everything mapped is validated with a 400 naming the field, and unknown fields (`service_tier`,
 * `output_config`, an adaptive `thinking`, …) pass through for an Anthropic upstream.
 * @see https://docs.anthropic.com/en/api/messages
 */
export function parseAnthropicMessagesRequest(raw: unknown): ChatRequest {
  return parseAnthropicRequest(raw, { requireMaxTokens: true });
}

/**
 * A `POST /v1/messages/count_tokens` body (the same fields, without `max_tokens`) → the canonical request
 * whose input is to be counted.
 * @see https://docs.anthropic.com/en/api/messages-count-tokens
 */
export function parseAnthropicCountTokensRequest(raw: unknown): ChatRequest {
  return parseAnthropicRequest(raw, { requireMaxTokens: false });
}

function parseAnthropicRequest(raw: unknown, options: { requireMaxTokens: boolean }): ChatRequest {
  const body = requireObject(raw, 'body');
  const model = requireString(body, 'model');
  const maxTokens = optionalNumber(body, 'max_tokens', { min: 1, integer: true });
  if (maxTokens === undefined && options.requireMaxTokens) throw invalidRequest("'max_tokens' is required.", 'max_tokens');
  const tools = readAnthropicTools(body.tools);
  const { toolChoice, parallelToolCalls } = readAnthropicToolChoice(body.tool_choice);
  const thinking = readThinking(body.thinking);
  const user = readUserId(body.metadata);
  const passthrough = unclaimedFields(body, new Set(thinking.claimed ? [...CLAIMED, 'thinking'] : CLAIMED));
  return {
    model,
    messages: [...readAnthropicSystem(body.system), ...readAnthropicMessages(body.messages)],
    ...(tools ? { tools } : {}),
    ...(toolChoice ? { toolChoice } : {}),
    ...(parallelToolCalls === undefined ? {} : { parallelToolCalls }),
    sampling: definedOnly({
      maxTokens,
      temperature: optionalNumber(body, 'temperature', { min: 0, max: 1 }),
      topP: optionalNumber(body, 'top_p', { min: 0, max: 1 }),
      topK: optionalNumber(body, 'top_k', { min: 0, integer: true }),
      stop: readStopSequences(body.stop_sequences),
    }),
    ...(thinking.reasoning ? { reasoning: thinking.reasoning } : {}),
    ...(user ? { user } : {}),
    stream: optionalBoolean(body, 'stream') ?? false,
    ...(passthrough ? { passthrough: { family: 'anthropic', fields: passthrough } } : {}),
  };
}

/**
 * `thinking: {type:"enabled", budget_tokens}` → a reasoning budget, `{type:"disabled"}` → none. Other
 * forms (`adaptive`, newer ones) are left unclaimed so an Anthropic upstream still receives them.
 */
function readThinking(value: unknown): { claimed: boolean; reasoning?: ReasoningOptions } {
  if (value === undefined || value === null) return { claimed: true };
  if (!isObject(value)) throw invalidRequest("'thinking' must be an object.", 'thinking');
  if (value.type === 'disabled') return { claimed: true };
  if (value.type !== 'enabled') return { claimed: false };
  const budget = optionalNumber(value, 'budget_tokens', { min: MIN_THINKING_BUDGET, integer: true }, 'thinking.budget_tokens');
  if (budget === undefined) throw invalidRequest("'thinking.budget_tokens' is required when thinking is enabled.", 'thinking.budget_tokens');
  return { claimed: true, reasoning: { budgetTokens: budget } };
}

function readUserId(metadata: unknown): string | undefined {
  if (metadata === undefined || metadata === null) return undefined;
  if (!isObject(metadata)) throw invalidRequest("'metadata' must be an object.", 'metadata');
  const userId = metadata.user_id;
  if (userId === undefined || userId === null) return undefined;
  if (typeof userId !== 'string') throw invalidRequest("'metadata.user_id' must be a string.", 'metadata.user_id');
  return userId === '' ? undefined : userId;
}

function readStopSequences(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw invalidRequest("'stop_sequences' must be a list of strings.", 'stop_sequences');
  }
  return value.length === 0 ? undefined : (value as string[]);
}

function definedOnly<Value extends object>(value: Value): Value {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Value;
}
