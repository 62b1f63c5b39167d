import type { ChatRequest, JsonObject } from '@nachos/plugin-sdk';
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
import { definedOnly } from './defined-only.js';

/** OpenAI's default `max_tokens` for legacy completions; chat models would otherwise answer at length. */
export const DEFAULT_COMPLETION_MAX_TOKENS = 16;

/** Fields this parser maps or refuses; everything else travels as OpenAI-family pass-through. */
const CLAIMED = new Set([
  'model', 'prompt', 'suffix', 'max_tokens', 'temperature', 'top_p', 'n', 'stop', 'seed', 'presence_penalty',
  'frequency_penalty', 'echo', 'logprobs', 'best_of', 'user', 'stream', 'stream_options',
]);

export interface ParsedOpenAICompletionRequest {
  request: ChatRequest;
  /** `stream_options.include_usage`: a usage chunk is sent only when asked. */
  includeUsage: boolean;
  /** With `echo: true`, the prompt, which the answer's text starts with. */
  echoedPrompt?: string;
  /** Fields accepted but not honoured (chat models cannot fill in the middle); named in `x-nachos-ignored-fields`. */
  ignoredFields: string[];
}

/**
 * A `POST /v1/completions` body → the canonical request: the prompt becomes one user message, since
 * every provider nachos serves is a chat model. What a chat model cannot do is refused with a 400
 * naming the field, except where it is trivially met: `n`, `best_of` of 1, `echo` (the prompt is
 * prepended to the answer), `logprobs: null`. `suffix` is accepted and named back as ignored, as
 * Ollama's generate surface does. Several prompts in one request would be several choices, like
 * `n > 1`, and are refused the same way.
 * @see https://platform.openai.com/docs/api-reference/completions/create
 */
export function parseOpenAICompletionRequest(raw: unknown): ParsedOpenAICompletionRequest {
  const body = requireObject(raw, 'body');
  const model = requireString(body, 'model');
  const prompt = readPrompt(body.prompt);
  refuseAboveOne(body, 'n', "'n' greater than 1 is not supported; send separate requests.");
  refuseAboveOne(body, 'best_of', "'best_of' greater than 1 is not supported; send separate requests.");
  if (body.logprobs !== undefined && body.logprobs !== null) {
    throw invalidRequest("'logprobs' is not supported: the chat models nachos serves do not return token log probabilities.", 'logprobs');
  }
  const echo = optionalBoolean(body, 'echo') ?? false;
  const suffix = optionalString(body, 'suffix');
  const streamOptions = body.stream_options;
  const includeUsage = typeof streamOptions === 'object' && streamOptions !== null && (streamOptions as JsonObject).include_usage === true;
  const user = optionalString(body, 'user');
  const passthrough = unclaimedFields(body, CLAIMED);
  const request: ChatRequest = {
    model,
    messages: [{ role: 'user', content: [{ type: 'text', text: prompt }] }],
    sampling: definedOnly({
      maxTokens: optionalNumber(body, 'max_tokens', { min: 1, integer: true }) ?? DEFAULT_COMPLETION_MAX_TOKENS,
      temperature: optionalNumber(body, 'temperature', { min: 0, max: 2 }),
      topP: optionalNumber(body, 'top_p', { min: 0, max: 1 }),
      stop: optionalStringList(body, 'stop', 4),
      seed: optionalNumber(body, 'seed', SEED_RANGE),
      presencePenalty: optionalNumber(body, 'presence_penalty', { min: -2, max: 2 }),
      frequencyPenalty: optionalNumber(body, 'frequency_penalty', { min: -2, max: 2 }),
    }),
    ...(user ? { user } : {}),
    stream: optionalBoolean(body, 'stream') ?? false,
    ...(passthrough ? { passthrough: { family: 'openai', fields: passthrough } } : {}),
  };
  return { request, includeUsage, ...(echo ? { echoedPrompt: prompt } : {}), ignoredFields: suffix ? ['suffix'] : [] };
}

/** A string, or a list holding one string; token ids and several prompts are refused. */
function readPrompt(value: unknown): string {
  if (value === undefined || value === null) throw invalidRequest("'prompt' is required.", 'prompt');
  const list = Array.isArray(value) ? value : [value];
  if (list.some((item) => typeof item === 'number' || Array.isArray(item))) {
    throw invalidRequest("'prompt' as token ids is not supported: nachos serves chat models, which take text; send the prompt as a string.", 'prompt');
  }
  if (list.some((item) => typeof item !== 'string')) throw invalidRequest("'prompt' must be a string or a list of strings.", 'prompt');
  if (list.length !== 1) {
    throw invalidRequest("'prompt' must hold exactly one string: several prompts would be several choices, which are not supported; send one request per prompt.", 'prompt');
  }
  const prompt = list[0] as string;
  if (prompt === '') throw invalidRequest("'prompt' must not be empty.", 'prompt');
  return prompt;
}

function refuseAboveOne(body: JsonObject, key: string, message: string): void {
  const value = optionalNumber(body, key, { min: 1, integer: true });
  if (value !== undefined && value > 1) throw invalidRequest(message, key);
}
