import type { Secret } from '@nachos/plugin-sdk';

/** Anthropic's API refuses requests without a version; the one its SDKs send unless told otherwise. */
const ANTHROPIC_VERSION = '2023-06-01';

/**
 * The endpoint's key in the header its provider reads, as that provider's own SDK sends it: Anthropic's
 * `x-api-key` (with a default `anthropic-version`), Gemini's `x-goog-api-key`, Azure's `api-key`, and a
 * bearer token for everything else (OpenAI and every OpenAI-compatible host, Ollama behind a proxy).
 */
export function upstreamAuthHeaders(provider: string, apiKey: Secret | undefined, clientHeaders: Readonly<Record<string, string>>): Record<string, string> {
  const headers: Record<string, string> = {};
  if (provider === 'anthropic' && clientHeaders['anthropic-version'] === undefined) headers['anthropic-version'] = ANTHROPIC_VERSION;
  if (!apiKey) return headers;
  switch (provider) {
    case 'anthropic':
      headers['x-api-key'] = apiKey.reveal();
      break;
    case 'google':
      headers['x-goog-api-key'] = apiKey.reveal();
      break;
    case 'azure-openai':
      headers['api-key'] = apiKey.reveal();
      break;
    default:
      headers.authorization = `Bearer ${apiKey.reveal()}`;
  }
  return headers;
}
