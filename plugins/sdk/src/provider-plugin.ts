import type { Dispatcher } from 'undici';
import type { CallSignal } from './call-signal.js';
import type { ChatRequest } from './chat-request.js';
import type { EmbedRequest, EmbedResult } from './embed-request.js';
import type { ModelInfo } from './model-info.js';
import type { Secret } from './secret.js';
import type { StreamEvent } from './stream-event.js';

/** The contract version this SDK speaks; the loader refuses plugins built for another. */
export const PLUGIN_CONTRACT_VERSION = 1;

/** Runtime brand on every plugin object, so the loader can tell a plugin from any default export. */
export const PLUGIN_BRAND = Symbol.for('nachos.provider-plugin');

/**
 * A convict schema for the plugin's own endpoint options (`[endpoints.<id>.options]`). Mark secrets
 * `sensitive: true`. Kept as a plain object so a plugin needs no convict import.
 */
export type PluginConfigSchema = Record<string, unknown>;

/** The default export of a plugin module. Static: no I/O until `createProvider`. */
export interface ProviderPlugin<Options = Record<string, unknown>> {
  readonly contractVersion: typeof PLUGIN_CONTRACT_VERSION;
  /** Kebab-case id; equals the plugin's folder name and `nachosPlugin.id` in its package.json. */
  readonly id: string;
  readonly displayName?: string;
  /** Base URL used when neither the endpoint nor `<ID>_BASE_URL` gives one. */
  readonly defaultBaseUrl?: string;
  /**
   * Environment variable(s) that hold the provider's key (`OPENAI_API_KEY`; Gemini accepts
   * `GOOGLE_API_KEY` or `GEMINI_API_KEY`, first set wins); each may be given as `<NAME>_FILE` too.
   * When one is set, llm-proxy serves this provider with no further configuration.
   */
  readonly apiKeyEnv?: string | readonly string[];
  /**
   * Environment variable that overrides `defaultBaseUrl`, as the provider's own SDK reads it; defaults
   * to `<ID>_BASE_URL` (`OPENAI_BASE_URL`). For a keyless provider (`OLLAMA_HOST`), setting it is what
   * turns the provider on.
   */
  readonly baseUrlEnv?: string;
  /** Whether the provider refuses requests without a key (false for local servers and mocks). */
  readonly requiresApiKey?: boolean;
  readonly configSchema: PluginConfigSchema;
  /** Models this provider is known to serve, with the aliases users type. */
  readonly catalogue: readonly ModelInfo[];
  /** Other names users give the provider, taken like its id in `<name>/<model>` (`gemini` for google). */
  readonly names?: readonly string[];
  /**
   * Patterns (`claude-*`, `*` for any run of characters) of the ids the provider's models take: a
   * well-formed id no catalogue lists yet is sent to it, so that a new model need not wait for a release.
   */
  readonly modelFamilies?: readonly string[];
  createProvider(context: ProviderContext<Options>): Provider | Promise<Provider>;
}

/** Where one configured endpoint of a plugin lives. */
export interface EndpointSettings {
  /** The endpoint id (`openai`, `groq-eu`), used in logs and response headers. */
  id: string;
  baseUrl: string;
  apiKey?: Secret;
  /** Extra headers every upstream request carries (set by the operator). */
  headers?: Readonly<Record<string, string>>;
}

export interface PluginLogger {
  debug(message: string, meta?: Record<string, unknown>): void;
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

export interface ProviderContext<Options> {
  readonly endpoint: EndpointSettings;
  /** The endpoint's options, validated against `configSchema` and frozen. */
  readonly options: Readonly<Options>;
  readonly logger: PluginLogger;
  /**
   * For fetching what a request points at (an image URL), not for provider calls. Guarded like the
   * dispatcher for endpoints added at run time.
   */
  readonly fetch: typeof globalThis.fetch;
  /**
   * The keep-alive connection pools provider calls go through (pass it to `fetchUpstream`). llm-proxy
   * always gives one; without it the SDK uses a shared agent of its own.
   */
  readonly dispatcher?: Dispatcher;
}

export interface CallOptions {
  /** Aborts on client disconnect, gRPC deadline or llm-proxy timeout; pass it to `fetch`. */
  signal: AbortSignal;
  /**
   * The same cancellation as `signal`, without an `AbortSignal` behind it: pass it to `fetchUpstream`
   * (`signal: cancellationOf(callOptions)`). llm-proxy makes `signal` only when it is
   * first read, so a call that never needs a real one does without its `AbortController`.
   */
  cancellation?: CallSignal;
  /** Carried upstream as `x-request-id`. */
  requestId?: string;
  /** A caller's own key (BYOK); replaces the endpoint's key for this call only. */
  apiKey?: Secret;
  /** Headers the routing rules add for this call. */
  headers?: Readonly<Record<string, string>>;
  /**
   * Told when the upstream request leaves on a connection (`sent`) and when its response headers
   * arrive (`headers`); pass it to `fetchUpstream` as `progress`. llm-proxy's timeouts use it to tell
   * a wait on our side from a slow provider, and a non-streaming call's first byte from its end.
   */
  onUpstreamProgress?: (stage: 'sent' | 'headers') => void;
}

/** One configured endpoint of a plugin, ready to serve. */
export interface Provider {
  /**
   * Yields events in the grammar of {@link StreamEvent}. Fails by throwing `ProviderError`, never by
   * yielding garbage, and stops promptly when `options.signal` aborts.
   */
  chat(request: ChatRequest, options: CallOptions): AsyncIterable<StreamEvent>;
  embed?(request: EmbedRequest, options: CallOptions): Promise<EmbedResult>;
  /** Whether `embed` takes token ids (`EmbedRequest.tokens`) as OpenAI's embeddings API does. */
  readonly embedsTokenIds?: boolean;
  /**
   * Whether `chat` answers `ChatRequest.choices` (OpenAI's `n`) itself, every choice in one upstream call,
   * told apart by `choice` events. Otherwise llm-proxy never sends `choices` and the gateway makes a call per choice.
   */
  readonly answersChoices?: boolean;
  /** What the upstream lists right now; merged with the static catalogue. */
  listModels?(options: CallOptions): Promise<ModelInfo[]>;
  countTokens?(request: ChatRequest, options: CallOptions): Promise<number>;
  close?(): Promise<void>;
}

/** Declares a plugin: fills in the contract version and brands it for the loader. */
export function defineProviderPlugin<Options>(
  plugin: Omit<ProviderPlugin<Options>, 'contractVersion'>,
): ProviderPlugin<Options> {
  return Object.freeze(
    Object.assign(Object.create(null) as object, plugin, {
      contractVersion: PLUGIN_CONTRACT_VERSION,
      [PLUGIN_BRAND]: true,
    }),
  ) as ProviderPlugin<Options>;
}

/** Whether a loaded module's default export is a plugin made by `defineProviderPlugin`. */
export function isProviderPlugin(value: unknown): value is ProviderPlugin {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[PLUGIN_BRAND] === true;
}

/**
 * What llm-proxy imports from a plugin folder's entry: the plugin as the default export and, for a
 * module that serves several providers (one per known host of a protocol), more plugins in
 * `providers`, each with its own id, key variable and catalogue.
 */
export interface PluginModule {
  default: ProviderPlugin;
  providers?: readonly ProviderPlugin[];
}
