import type { JsonObject, Sampling } from '@nachos/plugin-sdk';
import { optionalNumber, optionalStringList, requireObject, SEED_RANGE } from '../request-fields.js';

/** More stop strings than this is a mistake rather than a need; OpenAI itself takes four. */
const MAX_STOP_STRINGS = 16;

/**
 * Ollama `options` → canonical sampling. Runtime knobs of a local model (`num_ctx`, `num_gpu`,
 * `mirostat`, `repeat_penalty`, …) mean nothing to a hosted provider and are ignored, as Ollama
 * ignores options a model does not use. `num_predict` of -1 (unlimited) or -2 (fill the context)
 * leaves the provider's default.
 * @see https://github.com/ollama/ollama/blob/main/docs/modelfile.md#valid-parameters-and-values
 */
export function readOllamaOptions(value: unknown): Sampling {
  if (value === undefined || value === null) return {};
  const options = requireObject(value, 'options');
  const numPredict = optionalNumber(options, 'num_predict', { min: -2, integer: true }, 'options.num_predict');
  return definedOnly({
    maxTokens: numPredict !== undefined && numPredict > 0 ? numPredict : undefined,
    temperature: optionalNumber(options, 'temperature', { min: 0 }, 'options.temperature'),
    topP: optionalNumber(options, 'top_p', { min: 0, max: 1 }, 'options.top_p'),
    topK: optionalNumber(options, 'top_k', { min: 0, integer: true }, 'options.top_k'),
    stop: optionalStringList(options, 'stop', MAX_STOP_STRINGS, 'options.stop'),
    seed: optionalNumber(options, 'seed', SEED_RANGE, 'options.seed'),
    presencePenalty: optionalNumber(options, 'presence_penalty', {}, 'options.presence_penalty'),
    frequencyPenalty: optionalNumber(options, 'frequency_penalty', {}, 'options.frequency_penalty'),
  });
}

function definedOnly(value: Sampling): Sampling {
  return Object.fromEntries(Object.entries(value as JsonObject).filter(([, item]) => item !== undefined)) as Sampling;
}
