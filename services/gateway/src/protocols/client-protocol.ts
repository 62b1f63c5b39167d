import type { ClientError } from '../errors/client-error.js';
import { anthropicErrorBody } from './anthropic/anthropic-error-body.js';
import { ollamaErrorBody } from './ollama/ollama-error-body.js';
import { openAIErrorBody } from './openai/openai-error-body.js';

/** The client protocols the gateway speaks; each route group marks its own so errors come back in kind. */
export type ClientProtocol = 'openai' | 'anthropic' | 'ollama';

/** The error body each protocol's SDK parses; Anthropic's carries the request id too. */
export const ERROR_BODY: Readonly<Record<ClientProtocol, (error: ClientError, requestId?: string) => unknown>> = {
  openai: openAIErrorBody,
  anthropic: anthropicErrorBody,
  ollama: ollamaErrorBody,
};
