import type { ChatRequest, JsonObject, ReasoningEffort } from '@nachos/plugin-sdk';
import { invalidRequest } from '../../errors/gateway-error.js';
import {
  optionalBoolean,
  optionalNumber,
  optionalString,
  optionalStringList,
  requireObject,
  requireString,
  unclaimedFields,
  SEED_RANGE,
} from '../request-fields.js';
import { readOpenAIMessages } from './read-openai-messages.js';
import { readOpenAIResponseFormat } from './read-openai-response-format.js';
import { readOpenAITools, readOpenAIToolChoice } from './read-openai-tools.js';

const EFFORTS: ReadonlySet<string> = new Set(['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max']);

/** Fields this parser maps; everything else travels as OpenAI-family pass-through. */
const CLAIMED = new Set([
  'model', 'messages', 'tools', 'tool_choice', 'parallel_tool_calls', 'max_tokens', 'max_completion_tokens',
  'temperature', 'top_p', 'stop', 'seed', 'presence_penalty', 'frequency_penalty', 'response_format',
  'reasoning_effort', 'user', 'metadata', 'stream', 'stream_options', 'n',
]);

export interface ParsedOpenAIChatRequest {
  request: ChatRequest;
  /** `stream_options.include_usage`: a usage chunk is sent only when asked. */
  includeUsage: boolean;
  /** How many choices the client wants (`n`); more than one is answered by as many calls. */
  choices: number;
}

/**
 * A `POST /v1/chat/completions` body → the canonical request. Validates everything it maps and answers
 * a 400 naming the field otherwise.
 * @see https://platform.openai.com/docs/api-reference/chat/create
 */
export function parseOpenAIChatRequest(raw: unknown): ParsedOpenAIChatRequest {
  const body = requireObject(raw, 'body');
  const model = requireString(body, 'model');
  const choices = optionalNumber(body, 'n', { min: 1, integer: true }) ?? 1;
  const streamOptions = body.stream_options;
  const includeUsage = typeof streamOptions === 'object' && streamOptions !== null && (streamOptions as JsonObject).include_usage === true;
  const effort = optionalString(body, 'reasoning_effort');
  if (effort !== undefined && !EFFORTS.has(effort)) {
    throw invalidRequest(`'reasoning_effort' must be one of ${[...EFFORTS].join(', ')}.`, 'reasoning_effort');
  }
  const maxTokens =
    optionalNumber(body, 'max_completion_tokens', { min: 1, integer: true }) ?? optionalNumber(body, 'max_tokens', { min: 1, integer: true });
  const tools = readOpenAITools(body.tools);
  const toolChoice = readOpenAIToolChoice(body.tool_choice);
  const parallelToolCalls = optionalBoolean(body, 'parallel_tool_calls');
  const responseFormat = readOpenAIResponseFormat(body.response_format);
  const user = optionalString(body, 'user');
  const metadata = readMetadata(body.metadata);
  const passthrough = unclaimedFields(body, CLAIMED);
  const request: ChatRequest = {
    model,
    messages: readOpenAIMessages(body.messages),
    ...(tools ? { tools } : {}),
    ...(toolChoice ? { toolChoice } : {}),
    ...(parallelToolCalls === undefined ? {} : { parallelToolCalls }),
    sampling: definedOnly({
      maxTokens,
      temperature: optionalNumber(body, 'temperature', { min: 0, max: 2 }),
      topP: optionalNumber(body, 'top_p', { min: 0, max: 1 }),
      stop: optionalStringList(body, 'stop', 4),
      seed: optionalNumber(body, 'seed', SEED_RANGE),
      presencePenalty: optionalNumber(body, 'presence_penalty', { min: -2, max: 2 }),
      frequencyPenalty: optionalNumber(body, 'frequency_penalty', { min: -2, max: 2 }),
    }),
    ...(responseFormat ? { responseFormat } : {}),
    ...(effort ? { reasoning: { effort: effort as ReasoningEffort } } : {}),
    ...(user ? { user } : {}),
    ...(metadata ? { metadata } : {}),
    stream: optionalBoolean(body, 'stream') ?? false,
    ...(passthrough ? { passthrough: { family: 'openai', fields: passthrough } } : {}),
  };
  return { request, includeUsage, choices };
}

function readMetadata(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value) || Object.values(value).some((item) => typeof item !== 'string')) {
    throw invalidRequest("'metadata' must be an object of string values.", 'metadata');
  }
  return value as Record<string, string>;
}

/** The fields of a literal this parser made (fixed names) that hold a value, in their order. */
function definedOnly<Value extends object>(value: Value): Value {
  const defined: Record<string, unknown> = {};
  for (const key in value) if (value[key] !== undefined) defined[key] = value[key];
  return defined as Value;
}
