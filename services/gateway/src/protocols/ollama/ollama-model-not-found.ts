import { toClientError } from '../../errors/client-error.js';
import { GatewayError } from '../../errors/gateway-error.js';

/** Ollama's own wording for an unknown model, which clients show as is and some match on. */
export function ollamaModelNotFound(model: string): GatewayError {
  return new GatewayError({ kind: 'not_found', message: `model "${model}" not found, try pulling it first`, param: 'model' });
}

/**
 * Rewrites a `not_found` from llm-proxy (which names the model in its own words) into Ollama's message;
 * any other failure passes unchanged.
 */
export function asOllamaModelNotFound(error: unknown, model: string): unknown {
  return toClientError(error).kind === 'not_found' ? ollamaModelNotFound(model) : error;
}
