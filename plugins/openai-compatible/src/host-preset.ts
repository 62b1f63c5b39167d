import type { ModelInfo } from '@nachos/plugin-sdk';

/**
 * A known OpenAI-compatible host: where it lives, which variable holds its key, what it serves and
 * where it departs from OpenAI. Read from `presets.json`; a preset is served under its own provider
 * id (`groq`) and can be picked for any `openai-compatible` endpoint with `preset = "<id>"`.
 */
export interface HostPreset {
  /** Provider id, kebab-case (`groq`, `lmstudio`); also the value of the `preset` option. */
  id: string;
  displayName: string;
  /** With the version path, like `OPENAI_BASE_URL`. */
  baseUrl: string;
  apiKeyEnv?: string;
  /** False for local servers that take no key. */
  requiresApiKey: boolean;
  /** Whether the endpoint's base URL host identifies this host (false for local servers). */
  detectByHost: boolean;
  catalogue: ModelInfo[];
  /**
   * The host's own model names (`mistral-*`), forwarded to it when no catalogue lists them. Only hosts
   * whose names are their own have them: an aggregator's ids are other vendors' names (its listing serves those).
   */
  modelFamilies?: string[];
  quirks: HostQuirks;
}

/**
 * Request rules a host needs beyond the OpenAI dialect. Stream-side differences (reasoning in
 * `reasoning_content` or `reasoning`, tool deltas without `index`, whole calls in one fragment,
 * usage on the finish chunk, xAI's reasoning-exclusive `completion_tokens`) need no entry here: the
 * SDK's stream reader accepts every one of them.
 */
export interface HostQuirks {
  /** False: the host rejects `stream_options` (it reports usage without being asked). */
  streamOptions?: boolean;
  /** False: the host has no tool calling; tools are not sent, a tool history is refused. */
  tools?: boolean;
  /** False: the host rejects `name` on messages. */
  messageNames?: boolean;
  /** `nine-alphanumeric`: tool-call ids must match `^[a-zA-Z0-9]{9}$` (Mistral). */
  toolCallIdFormat?: 'nine-alphanumeric';
  /** True: user and assistant turns must alternate, so adjacent turns of one role are merged. */
  alternatingRoles?: boolean;
  /** Body fields the host knows under another name (`seed` → `random_seed`). */
  renameFields?: Record<string, string>;
  /** Body fields the host rejects. */
  dropFields?: string[];
  /** False: the host has no `POST /embeddings`. */
  embeddings?: boolean;
  /** False: the host has no `GET /models`. */
  listModels?: boolean;
}
