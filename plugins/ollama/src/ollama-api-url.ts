import { joinUrl } from '@nachos/plugin-sdk';

/**
 * The URL of one native endpoint (`chat`, `embed`, `tags`) under an Ollama base URL. Operators often
 * paste the URL they gave an OpenAI client (`http://host:11434/v1`) or one ending in `/api`; both
 * are read as the server root, since the native API lives at `/api/*` and nowhere else.
 */
export function ollamaApiUrl(baseUrl: string, endpoint: string): string {
  const root = baseUrl.replace(/\/+$/, '').replace(/\/(api|v1)$/, '');
  return joinUrl(root, `api/${endpoint}`);
}
