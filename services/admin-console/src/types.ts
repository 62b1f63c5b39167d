/** The admin API's answers, as the console reads them. */

export interface Status {
  gateway: { replica: string; started_at: string; draining: boolean };
  llm_proxy: string;
  redis: string;
  /** Gateway replicas heard from recently (through Redis; this one alone without it), this one always among them. */
  replicas: Replica[];
  /** llm-proxy replicas heard from recently, as the one this gateway reaches lists them. */
  llm_proxy_replicas: Replica[];
}

export interface Replica {
  replica: string;
  /** serving, draining, lagging, or silent (missed its last beats). */
  status: string;
  started_at: string;
  seen_at: string;
}

type Totals = { requests: number; failures: number; input_tokens: number; output_tokens: number; total_tokens: number };

export interface HistoryGroup extends Totals {
  name: string;
  series: { requests: number[]; total_tokens: number[] };
}

export interface History {
  range: string;
  step_ms: number;
  times: number[];
  series: Record<'requests' | 'failures' | 'input_tokens' | 'output_tokens' | 'total_tokens', number[]> & {
    ttft_p50_ms: Array<number | null>;
    ttft_p95_ms: Array<number | null>;
  };
  totals: Totals & { ttft_p50_ms: number | null; ttft_p95_ms: number | null };
  groups: Record<string, HistoryGroup[]>;
}

export interface Endpoint {
  id: string;
  provider: string;
  base_url: string;
  source: string;
  models: string[];
  explicit_models: boolean;
  weight: number;
  has_key: boolean;
  rate_limit: { rpm?: number; tpm?: number };
  /** Keep-alive connections to its origin, of the llm-proxy replica that answered. */
  connections: { open: number; busy: number };
  health: { status: 'ok' | 'cooling'; cooldowns: number; reasons: string[] };
}

export interface Cooldown {
  key: string;
  reason: string;
  until: string;
  remaining_ms: number;
}

export interface ModelRoute {
  endpoint: string;
  provider: string;
  upstream_id: string;
  source: string;
}

export interface ModelEntry {
  name: string;
  kind: 'model' | 'rename' | 'default';
  target: string | null;
  routes: ModelRoute[];
  fallbacks: string[];
  capabilities: Record<string, boolean>;
  context_length: number | null;
  max_output_tokens: number | null;
}

export interface Resolution {
  model: string;
  found: boolean;
  steps: string[];
  routes: ModelRoute[];
  fallbacks: string[];
}

export interface KeyEntry {
  name: string;
  models: string[] | null;
  limits: { requests_per_minute: number; tokens_per_minute: number; max_concurrent: number };
  /** `open_requests` is counted only for a key with a concurrency limit. */
  use: { requests_this_minute: number; tokens_this_minute: number; open_requests: number | null; requests_last_hour: number; tokens_last_hour: number };
}
