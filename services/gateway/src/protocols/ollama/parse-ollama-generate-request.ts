import type { JsonObject, Message } from '@nachos/plugin-sdk';
import { optionalBoolean, optionalString, requireObject, unclaimedFields } from '../request-fields.js';
import type { ParsedOllamaRequest } from './parsed-ollama-request.js';
import { readOllamaGenerationSettings } from './read-ollama-generation-settings.js';
import { readOllamaImages } from './read-ollama-images.js';
import { requireOllamaModel } from './read-ollama-model-field.js';

const CLAIMED = new Set(['model', 'prompt', 'system', 'suffix', 'template', 'raw', 'images', 'context', 'format', 'stream']);

/**
 * A `POST /api/generate` body → the canonical request: `system` becomes the system turn and `prompt`
 * (with `images`) the user turn. Hosted chat models apply their own prompt template, so:
 * - `raw: true` sends the prompt as the user turn unchanged and, as Ollama does in raw mode, no system turn;
 * - `template` cannot be applied, and `suffix` (fill-in-the-middle) has no counterpart in chat APIs: both are
 *   accepted, not sent, and named in `ignoredFields`;
 * - `context` (the deprecated token memory of an earlier answer) is accepted and dropped; nachos answers
 *   with an empty one.
 * @see https://github.com/ollama/ollama/blob/main/docs/api.md#generate-a-completion
 */
export function parseOllamaGenerateRequest(raw: unknown): ParsedOllamaRequest {
  const body = requireObject(raw, 'body');
  const model = requireOllamaModel(body);
  const prompt = optionalString(body, 'prompt') ?? '';
  const system = optionalString(body, 'system') ?? '';
  const rawMode = optionalBoolean(body, 'raw') ?? false;
  const images = readOllamaImages(body.images, 'images');
  const settings = readOllamaGenerationSettings(body);
  const messages: Message[] = [];
  if (system !== '' && !rawMode) messages.push({ role: 'system', content: [{ type: 'text', text: system }] });
  if (prompt !== '' || images.length > 0) {
    messages.push({ role: 'user', content: [...(prompt === '' ? [] : [{ type: 'text' as const, text: prompt }]), ...images] });
  }
  const passthrough = unclaimedFields(body, CLAIMED);
  const nothingToGenerate = prompt === '' && images.length === 0;
  return {
    request: {
      model,
      messages,
      sampling: settings.sampling,
      ...(settings.responseFormat ? { responseFormat: settings.responseFormat } : {}),
      ...(settings.reasoning ? { reasoning: settings.reasoning } : {}),
      stream: settings.stream,
      ...(passthrough ? { passthrough: { family: 'ollama', fields: passthrough } } : {}),
    },
    ...(nothingToGenerate ? { modelAction: settings.unload ? 'unload' : 'load' } : {}),
    ignoredFields: ignoredFields(body),
  };
}

function ignoredFields(body: JsonObject): string[] {
  const ignored: string[] = [];
  if (optionalString(body, 'suffix')) ignored.push('suffix');
  if (optionalString(body, 'template')) ignored.push('template');
  return ignored;
}
