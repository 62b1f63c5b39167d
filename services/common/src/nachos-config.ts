/** The validated configuration both services read (each its own part). Keys keep the file's names. */
export interface NachosConfig {
  gateway: GatewaySettings;
  llm_proxy: LlmProxySettings;
  redis: RedisSettings;
  llm: LlmSettings;
  endpoints: Record<string, EndpointConfig>;
  providers: Record<string, ProviderConfig>;
  /** The config file that was read, if any. */
  source_file: string;
}

export interface GatewaySettings {
  port: number;
  host: string;
  llm_proxy_url: string;
  request_timeout_ms: number;
  body_limit: string;
  shutdown_grace_ms: number;
}

export interface LlmProxySettings {
  grpc_port: number;
  http_port: number;
  host: string;
  plugins_dir: string;
  shutdown_grace_ms: number;
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
  profiles: ProfileConfig[];
  timeouts: { connect_ms: number; first_token_ms: number; idle_ms: number; total_ms: number };
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

export interface EndpointConfig {
  provider?: string;
  base_url?: string;
  api_key_env?: string;
  auth_type?: 'bearer' | 'header' | 'none';
  models?: string[];
  weight?: number;
  rate_limit?: { rpm?: number; tpm?: number };
  headers?: Record<string, string>;
  options?: Record<string, unknown>;
}

export interface ProviderConfig {
  base_url?: string;
  api_key_env?: string;
  headers?: Record<string, string>;
  options?: Record<string, unknown>;
}
