import type { JsonObject, ReasoningOptions, ResponseFormat, Sampling } from '@nachos/plugin-sdk';
import { invalidRequest } from '../../errors/gateway-error.js';
import { isObject, optionalBoolean } from '../request-fields.js';
import { readOllamaOptions } from './read-ollama-options.js';

/** The fields `/api/chat` and `/api/generate` share, read once for both. */
export interface OllamaGenerationSettings {
  sampling: Sampling;
  responseFormat?: ResponseFormat;
  reasoning?: ReasoningOptions;
  /** Ollama streams unless told `stream: false`. */
  stream: boolean;
  /** `keep_alive: 0` asks Ollama to unload the model; nachos has nothing to unload but answers in kind. */
  unload: boolean;
}

const THINK_LEVELS: ReadonlySet<string> = new Set(['minimal', 'low', 'medium', 'high', 'xhigh', 'max']);

export function readOllamaGenerationSettings(body: JsonObject): OllamaGenerationSettings {
  const responseFormat = readOllamaFormat(body.format);
  const reasoning = readOllamaThink(body.think);
  return {
    sampling: readOllamaOptions(body.options),
    ...(responseFormat ? { responseFormat } : {}),
    ...(reasoning ? { reasoning } : {}),
    stream: optionalBoolean(body, 'stream') ?? true,
    unload: body.keep_alive === 0 || body.keep_alive === '0' || body.keep_alive === '0s',
  };
}

/**
 * `format`: `"json"` for any JSON object, or a JSON Schema the answer must follow. An empty string is
 * what some clients send for "no format".
 */
export function readOllamaFormat(format: unknown): ResponseFormat | undefined {
  if (format === undefined || format === null || format === '') return undefined;
  if (format === 'json') return { type: 'json_object' };
  if (isObject(format)) return { type: 'json_schema', name: 'response', schema: format };
  throw invalidRequest(`'format' must be "json" or a JSON Schema object.`, 'format');
}

/**
 * `think`: `true` turns reasoning on at a medium effort, a level names the effort. `false` sends no
 * reasoning option at all: the canonical `none` would make providers whose models do not reason (most
 * OpenAI chat models) reject the request, which is worse than a reasoning model thinking by default.
 */
export function readOllamaThink(think: unknown): ReasoningOptions | undefined {
  if (think === undefined || think === null || think === false) return undefined;
  if (think === true) return { effort: 'medium' };
  if (typeof think === 'string' && THINK_LEVELS.has(think)) return { effort: think as NonNullable<ReasoningOptions['effort']> };
  throw invalidRequest(`'think' must be true, false, or one of ${[...THINK_LEVELS].join(', ')}.`, 'think');
}
