/** The validated configuration both services read (each its own part). Keys keep the file's names. */
export interface NachosConfig {
  gateway: GatewaySettings;
  llm_proxy: LlmProxySettings;
  redis: RedisSettings;
  llm: LlmSettings;
  endpoints: Record<string, EndpointConfig>;
  providers: Record<string, ProviderConfig>;
  auth: AuthSettings;
  rate_limit: RateLimitSettings;
  usage: UsageSettings;
  header_rules: HeaderRule[];
  discovery: DiscoverySettings;
  registry: RegistrySettings;
  /** The config file that was read, if any. */
  source_file: string;
  /** The format that file was written in (`nachos`, `LiteLLM config.yaml`, …). */
  source_dialect: string;
  /** Settings of the file that were read but not applied, each named by the file's own key. */
  config_warnings: string[];
}

export interface GatewaySettings {
  port: number;
  host: string;
  llm_proxy_url: string;
  request_timeout_ms: number;
  body_limit: string;
  shutdown_grace_ms: number;
  headers_timeout_ms: number;
  stream_stall_timeout_ms: number;
  max_json_depth: number;
  max_open_requests: number;
  max_identifier_length: number;
  max_metadata_length: number;
  max_messages: number;
  max_content_parts: number;
  body_timeout_ms: number;
  max_connections_per_address: number;
  event_loop_lag_limit_ms: number;
  trust_proxy: string;
  llm_proxy_passthrough_url: string;
  max_choices: number;
  responses_ttl_s: number;
  responses_max_bytes: number;
  responses_memory_bytes: number;
  protocols: { openai: ServedProtocol; anthropic: ServedProtocol };
}

/** A client protocol the gateway serves (or not), at the root and under `path`. */
export interface ServedProtocol {
  enabled: boolean;
  path: string;
}

export interface LlmProxySettings {
  grpc_port: number;
  http_port: number;
  host: string;
  passthrough_port: number;
  plugins_dir: string;
  plugin_start_timeout_ms: number;
  event_loop_lag_limit_ms: number;
  shutdown_grace_ms: number;
}

/** Auto-discovery of local model servers (Ollama, LM Studio, vLLM, LiteLLM). */
export interface DiscoverySettings {
  local_scan: boolean;
  peers: string[];
  hosts: string[];
  /** `provider=port` entries. */
  ports: string[];
  interval_ms: number;
  timeout_ms: number;
}

/** The admin API's endpoint registry: where it is kept without Redis, and which hosts it accepts. */
export interface RegistrySettings {
  file: string;
  sync_interval_ms: number;
  allowed_hosts: string[];
  denied_hosts: string[];
  allow_link_local: boolean;
  allow_loopback: boolean;
}

export interface RedisSettings {
  url: string;
  key_prefix: string;
  command_timeout_ms: number;
}

export interface LlmSettings {
  provider: string;
  model: string;
  max_tokens: number | null;
  temperature: number | null;
  base_url: string;
  fallback_order: string[];
  profile_order: string[];
  listed_names: 'model' | 'endpoint/model';
  profiles: ProfileConfig[];
  timeouts: { connect_ms: number; first_token_ms: number; idle_ms: number; total_ms: number };
  upstream_connections: number;
  upstream_idle_ms: number;
  models: Record<string, ModelRouteConfig>;
  routing: {
    load_balance: 'round_robin' | 'least_connections' | 'latency';
    max_attempts: number;
    retry_budget_percent: number;
    min_retries_per_second: number;
    backoff_base_ms: number;
    backoff_max_ms: number;
    cooldown_wait_ms: number;
  };
  cooldowns: {
    rate_limit_default_ms: number;
    rate_limit_max_ms: number;
    auth_ms: number;
    server_error_threshold: number;
    server_error_ms: number;
  };
}

export interface ProfileConfig {
  name: string;
  provider: string;
  api_key_env: string;
}

export interface ModelRouteConfig {
  rename?: string;
  fallbacks?: string[];
}

/** What an endpoint may declare its models can do (`capabilities = ["tools", "vision"]`). */
export const ENDPOINT_CAPABILITIES = ['tools', 'vision', 'reasoning', 'embeddings'] as const;
export type EndpointCapability = (typeof ENDPOINT_CAPABILITIES)[number];

export interface EndpointConfig {
  provider?: string;
  base_url?: string;
  api_key_env?: string;
  /** The key itself, as foreign formats may write it; never logged or printed. */
  api_key?: string;
  auth_type?: 'bearer' | 'header' | 'none';
  /** Model ids the endpoint serves; an entry with `*` serves every name it matches, forwarded as written. */
  models?: string[];
  /** Further names the endpoint answers to → the model id it sends upstream. */
  aliases?: Record<string, string>;
  weight?: number;
  rate_limit?: { rpm?: number; tpm?: number };
  headers?: Record<string, string>;
  options?: Record<string, unknown>;
  /** Callers may bring their own key for this endpoint (`[auth] provider_key_header`, `X-Provider-API-Key`). */
  forward_token?: boolean;
  /** What the endpoint's models can do where neither catalogue nor listing says. */
  capabilities?: EndpointCapability[];
}

export interface ProviderConfig {
  base_url?: string;
  api_key_env?: string;
  headers?: Record<string, string>;
  options?: Record<string, unknown>;
  /** Whether callers may use their own key for this provider (BYOK). */
  forward_token?: boolean;
}

export interface AuthSettings {
  /** null when not set: keys are required exactly when some are configured. */
  enabled: boolean | null;
  header_names: string[];
  /** Where a caller's own provider key comes (`forward_token`), lower case. */
  provider_key_header: string;
  /** The header naming the end user when the body names none. */
  user_header: string;
  skip_paths: string[];
  keys: AuthKeyConfig[];
  failed_attempts_per_minute: number;
}

/**
 * One `[[auth.keys]]` entry; the key itself is read from `key_env` (or `<key_env>_FILE`) or `key_file`, or
 * is `key`, as foreign formats may write it (never logged or printed).
 */
export interface AuthKeyConfig {
  name: string;
  key_env?: string;
  key_file?: string;
  key?: string;
  /** The key also opens the admin API and console when `NACHOS_ADMIN_KEY` is not set (LiteLLM's master key). */
  admin?: boolean;
  /** Model patterns the key may use (`*` matches any run of characters); absent means every model. */
  models?: string[];
  rate_limit?: KeyLimitsConfig;
}

export interface KeyLimitsConfig {
  requests_per_minute?: number;
  tokens_per_minute?: number;
  max_concurrent?: number;
  input_token_limit?: number;
}

export interface RateLimitSettings {
  per_key: { requests_per_minute: number; tokens_per_minute: number; max_concurrent: number };
  per_user: { input_token_limit: number; interval: string | number };
  per_model: ModelLimitConfig[];
  on_redis_failure: 'local' | 'open' | 'closed';
  replicas: number;
  lease_ttl_ms: number;
  estimated_output_tokens: number;
}

export interface ModelLimitConfig {
  /** A model pattern, or several whose requests count together. */
  model: string | string[];
  requests_per_minute?: number;
  tokens_per_minute?: number;
  /** Input tokens each end user (each key, when the client names none) may send per interval (`[rate_limit.per_user]`'s when absent). */
  per_user?: { input_token_limit: number; interval?: string | number };
}

export interface UsageSettings {
  enabled: boolean;
  reporters: UsageReporterConfig[];
  /** A duration (`"8d"`): how long the usage history behind the admin console is kept. */
  history_retention: string;
}

export interface UsageReporterConfig {
  name: string;
  type: 'webhook' | 'log';
  url?: string;
  /** Per webhook call, e.g. "5s". */
  timeout?: string | number;
  /** Environment variable (or `_FILE`) holding a bearer token sent to the webhook. */
  token_env?: string;
  batch_size?: number;
  flush_interval?: string | number;
  max_queue?: number;
  max_retries?: number;
  /** `array`: batches of records per POST; `object`: one record per POST, as LLMProxy's receivers expect. */
  format?: 'array' | 'object';
}

/**
 * One `[[header_rules]]` entry. The gateway forwards the client headers a rule names (auth headers only
 * when named exactly); llm-proxy applies the rules that match the provider and model it calls.
 */
export interface HeaderRule {
  /** Provider (plugin) ids the rule applies to; absent means every provider. */
  providers?: string[];
  /** Model patterns the rule applies to; absent means every model. */
  models?: string[];
  /** Client headers passed upstream: names, or `/regex/`. */
  forward?: string[];
  /** Headers set on the upstream request. */
  insert?: Record<string, string>;
  /** Headers taken off the upstream request: names, or `/regex/`. */
  remove?: string[];
  /** Client header name → upstream header name. */
  rename?: Record<string, string>;
}
