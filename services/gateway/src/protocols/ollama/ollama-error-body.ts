import type { ClientError } from '../../errors/client-error.js';

/**
 * `{"error":"<message>"}`: Ollama's error body, a bare string, before and inside a stream. ollama-js reads
 * `error` from a non-2xx JSON body and throws on any stream line that has the key.
 * @see https://github.com/ollama/ollama/blob/main/docs/api.md#errors
 */
export function ollamaErrorBody(error: ClientError): { error: string } {
  return { error: error.message };
}
