import { requireObject, unclaimedFields } from '../request-fields.js';
import { readOpenAITools } from '../openai/read-openai-tools.js';
import type { ParsedOllamaRequest } from './parsed-ollama-request.js';
import { readOllamaGenerationSettings } from './read-ollama-generation-settings.js';
import { readOllamaMessages } from './read-ollama-messages.js';
import { requireOllamaModel } from './read-ollama-model-field.js';

/**
 * Fields mapped to the canonical request. The rest (`options` with its local-runtime knobs, `keep_alive`,
 * `think`, `truncate`, …) travels as Ollama-family pass-through, so an Ollama upstream still gets them;
 * canonical values win where both say something.
 */
const CLAIMED = new Set(['model', 'messages', 'tools', 'format', 'stream']);

/**
 * A `POST /api/chat` body → the canonical request.
 * @see https://github.com/ollama/ollama/blob/main/docs/api.md#generate-a-chat-completion
 */
export function parseOllamaChatRequest(raw: unknown): ParsedOllamaRequest {
  const body = requireObject(raw, 'body');
  const model = requireOllamaModel(body);
  const messages = readOllamaMessages(body.messages);
  const tools = readOpenAITools(body.tools);
  const settings = readOllamaGenerationSettings(body);
  const passthrough = unclaimedFields(body, CLAIMED);
  return {
    request: {
      model,
      messages,
      ...(tools && tools.length > 0 ? { tools } : {}),
      sampling: settings.sampling,
      ...(settings.responseFormat ? { responseFormat: settings.responseFormat } : {}),
      ...(settings.reasoning ? { reasoning: settings.reasoning } : {}),
      stream: settings.stream,
      ...(passthrough ? { passthrough: { family: 'ollama', fields: passthrough } } : {}),
    },
    ...(messages.length === 0 ? { modelAction: settings.unload ? 'unload' : 'load' } : {}),
    ignoredFields: [],
  };
}
