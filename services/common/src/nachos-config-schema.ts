import {
  checkMapOf,
  checkTable,
  isAnyTable,
  isBoolean,
  isListOf,
  isOneOf,
  isPositiveNumber,
  isString,
  isStringList,
  isStringMap,
  isUrl,
  MODEL_NAME,
  PATH_PREFIX,
} from './check-config-shape.js';
import { endpointSourcesSchema } from './endpoint-sources-schema.js';
import { gatewayPolicySchema } from './gateway-policy-schema.js';
import { ENDPOINT_CAPABILITIES } from './nachos-config.js';

function isPathPrefix(value: unknown): void {
  if (typeof value !== 'string' || !PATH_PREFIX.test(value)) throw new Error('must be a path such as "/llm/openai" (no trailing slash)');
}

const checkRateLimit = (value: unknown, key: string) =>
  checkTable(value, key, { rpm: isPositiveNumber, tpm: isPositiveNumber });

const checkEndpoint = (value: unknown, key: string) =>
  checkTable(value, key, {
    provider: isString,
    base_url: isUrl,
    api_key_env: isString,
    api_key: isString,
    auth_type: isOneOf('bearer', 'header', 'none'),
    models: isStringList,
    aliases: isStringMap,
    weight: isPositiveNumber,
    rate_limit: checkRateLimit,
    headers: isStringMap,
    options: isAnyTable,
    forward_token: isBoolean,
    capabilities: isListOf(...ENDPOINT_CAPABILITIES),
  });

const checkProvider = (value: unknown, key: string) =>
  checkTable(value, key, {
    base_url: isUrl,
    api_key_env: isString,
    headers: isStringMap,
    options: isAnyTable,
    forward_token: isBoolean,
  });

const checkModelRoute = (value: unknown, key: string) =>
  checkTable(value, key, { rename: isString, fallbacks: isStringList });

const checkProfiles = (value: unknown, key: string) => {
  if (!Array.isArray(value)) throw new Error(`${key} must be a list of tables ([[llm.profiles]])`);
  value.forEach((entry, index) =>
    checkTable(entry, `${key}[${index}]`, { name: isString, provider: isString, api_key_env: isString }, [
      'name',
      'provider',
      'api_key_env',
    ]),
  );
};

/**
 * The config's open-ended tables, which convict cannot describe (it walks into object defaults): each is
 * taken out of the file before convict sees it and checked here, strictly, naming the full key.
 */
export const openTables = {
  endpoints: (value: unknown) => checkMapOf(value, 'endpoints', checkEndpoint),
  providers: (value: unknown) => checkMapOf(value, 'providers', checkProvider),
  'llm.models': (value: unknown) => checkMapOf(value, 'llm.models', checkModelRoute, MODEL_NAME),
  'llm.profiles': (value: unknown) => checkProfiles(value, 'llm.profiles'),
} as const;

/**
 * The convict schema of the config file's fixed keys. Both services validate all of it, strictly, so that a
 * typo stops start-up wherever it is; each then reads its own part.
 */
export const nachosConfigSchema = {
  ...gatewayPolicySchema,
  ...endpointSourcesSchema,
  gateway: {
    port: { doc: 'Gateway HTTP port.', format: 'port', default: 8080, env: 'PORT' },
    host: { doc: 'Gateway bind address.', format: String, default: '127.0.0.1', env: 'HOST' },
    llm_proxy_url: {
      doc: 'Where the gateway finds llm-proxy (host:port).',
      format: String,
      default: '127.0.0.1:50051',
      env: 'LLM_PROXY_URL',
    },
    request_timeout_ms: {
      doc: 'Longest a single client request may take, streams included.',
      format: 'nat',
      default: 600_000,
      env: 'GATEWAY_REQUEST_TIMEOUT_MS',
    },
    body_limit: { doc: 'Largest request body accepted.', format: String, default: '20mb', env: 'GATEWAY_BODY_LIMIT' },
    shutdown_grace_ms: {
      doc: 'How long open streams may finish after SIGTERM.',
      format: 'nat',
      default: 25_000,
      env: 'SHUTDOWN_GRACE_MS',
    },
    headers_timeout_ms: {
      doc: 'Longest a client may take to send its request headers (slow clients hold no socket longer).',
      format: 'nat',
      default: 20_000,
      env: 'GATEWAY_HEADERS_TIMEOUT_MS',
    },
    stream_stall_timeout_ms: {
      doc: 'Longest a streaming client may leave its socket full; a client that falls this far behind is ended with an error event.',
      format: 'nat',
      default: 30_000,
      env: 'GATEWAY_STREAM_STALL_TIMEOUT_MS',
    },
    max_json_depth: { doc: 'Deepest nesting of arrays and objects a request body may have.', format: 'nat', default: 64 },
    max_open_requests: {
      doc: 'Most requests one gateway serves at once, streams included; above it a request is answered 503 with Retry-After. 0: no cap.',
      format: 'nat',
      default: 10_000,
      env: 'GATEWAY_MAX_OPEN_REQUESTS',
    },
    max_identifier_length: {
      doc: 'Longest model name, tool name or type, role, id, media type or other identifier in a request body.',
      format: 'nat',
      default: 256,
    },
    max_metadata_length: { doc: 'Longest key or value of a request\'s metadata.', format: 'nat', default: 512 },
    max_messages: { doc: 'Most messages (or Responses input items) one request may hold.', format: 'nat', default: 10_000 },
    max_content_parts: { doc: 'Most content parts, images and tool calls one request body may hold in all.', format: 'nat', default: 20_000 },
    body_timeout_ms: {
      doc: "Longest a request body may take to arrive, counted from when its headers are in; a body still incomplete then is answered 408 in the caller's protocol and its connection closed.",
      format: 'nat',
      default: 30_000,
      env: 'GATEWAY_BODY_TIMEOUT_MS',
    },
    event_loop_lag_limit_ms: {
      doc: "Event-loop lag above which the gateway's /ready says not ready; 0 turns the check off.",
      format: 'nat',
      default: 2_000,
      env: 'GATEWAY_EVENT_LOOP_LAG_LIMIT_MS',
    },
    max_connections_per_address: {
      doc: 'Most connections one client address may hold open at once; 0 means no cap.',
      format: 'nat',
      default: 256,
      env: 'GATEWAY_MAX_CONNECTIONS_PER_ADDRESS',
    },
    llm_proxy_passthrough_url: {
      doc: "Where the gateway forwards /passthrough/ routes; empty means LLM_PROXY_URL's host on llm-proxy's pass-through (else internal HTTP) port.",
      format: String,
      default: '',
      env: 'LLM_PROXY_PASSTHROUGH_URL',
    },
    trust_proxy: {
      doc: 'Proxies (addresses or CIDRs, comma-separated) whose X-Forwarded-For names the client address; empty trusts none.',
      format: String,
      default: '',
      env: 'GATEWAY_TRUST_PROXY',
    },
    max_choices: {
      doc: "The most choices (OpenAI's n) one chat request may ask for; each is an upstream call.",
      format: 'nat',
      default: 8,
      env: 'GATEWAY_MAX_CHOICES',
    },
    responses_ttl_s: {
      doc: 'How long a Responses API answer made with store: true is kept (previous_response_id, GET /v1/responses/{id}).',
      format: 'nat',
      default: 2_592_000,
      env: 'GATEWAY_RESPONSES_TTL_S',
    },
    responses_max_bytes: {
      doc: 'Largest stored response, its whole conversation included; a larger one is answered but not kept.',
      format: 'nat',
      default: 4_194_304,
      env: 'GATEWAY_RESPONSES_MAX_BYTES',
    },
    responses_memory_bytes: {
      doc: 'Without Redis: all stored responses together; the oldest are dropped to make room.',
      format: 'nat',
      default: 134_217_728,
      env: 'GATEWAY_RESPONSES_MEMORY_BYTES',
    },
    protocols: {
      openai: {
        enabled: { doc: 'Whether the OpenAI API (chat completions, Responses, models, embeddings…) is served.', format: Boolean, default: true },
        path: { doc: 'Prefix the OpenAI API is served under besides the root: <path>/v1/chat/completions.', format: isPathPrefix, default: '/llm/openai' },
      },
      anthropic: {
        enabled: { doc: 'Whether the Anthropic Messages API is served.', format: Boolean, default: true },
        path: { doc: 'Prefix the Anthropic API is served under besides the root: <path>/v1/messages.', format: isPathPrefix, default: '/llm/anthropic' },
      },
    },
  },
  llm_proxy: {
    grpc_port: { doc: 'llm-proxy gRPC port.', format: 'port', default: 50051, env: 'LLM_PROXY_GRPC_PORT' },
    host: { doc: 'llm-proxy bind address.', format: String, default: '127.0.0.1', env: 'LLM_PROXY_HOST' },
    http_port: {
      doc: 'llm-proxy internal HTTP port: /metrics, /health, /admin.',
      format: 'port',
      default: 9090,
      env: 'LLM_PROXY_HTTP_PORT',
    },
    passthrough_port: {
      doc: 'Port of the raw pass-through listener; 0 serves pass-through on the internal HTTP port.',
      format: 'port',
      default: 0,
      env: 'LLM_PROXY_PASSTHROUGH_PORT',
    },
    plugins_dir: {
      doc: 'Folder scanned for provider plugins; empty means the plugins/ folder of this installation.',
      format: String,
      default: '',
      env: 'NACHOS_PLUGINS_DIR',
    },
    event_loop_lag_limit_ms: {
      doc: 'Event-loop lag above which llm-proxy reports not serving (gRPC health, /ready); 0 turns the check off.',
      format: 'nat',
      default: 2_000,
      env: 'LLM_PROXY_EVENT_LOOP_LAG_LIMIT_MS',
    },
    plugin_start_timeout_ms: {
      doc: 'Longest a plugin may take to import; one that takes longer stops start-up, naming it.',
      format: 'nat',
      default: 10_000,
      env: 'LLM_PROXY_PLUGIN_START_TIMEOUT_MS',
    },
    shutdown_grace_ms: {
      doc: 'How long open streams may finish after SIGTERM.',
      format: 'nat',
      default: 25_000,
      env: 'SHUTDOWN_GRACE_MS',
    },
  },
  redis: {
    url: { doc: 'Redis shared by every replica; empty keeps state in memory.', format: String, default: '', env: 'REDIS_URL', sensitive: true },
    key_prefix: { doc: 'Prefix of every Redis key.', format: String, default: 'nachos:', env: 'REDIS_KEY_PREFIX' },
    command_timeout_ms: {
      doc: 'Longest a Redis command may take before falling back to per-process state.',
      format: 'nat',
      default: 250,
      env: 'REDIS_COMMAND_TIMEOUT_MS',
    },
  },
  llm: {
    provider: { doc: 'Default provider (plugin id).', format: String, default: '' },
    model: { doc: 'Model used when a request names none.', format: String, default: '' },
    max_tokens: { doc: 'max_tokens applied when a request leaves it out.', format: 'nat', default: null, nullable: true },
    temperature: {
      doc: 'temperature applied when a request leaves it out.',
      format: Number,
      default: null,
      nullable: true,
    },
    base_url: { doc: 'Base URL override for [llm] provider.', format: String, default: '' },
    fallback_order: { doc: 'provider:model routes tried in order after retryable failures.', format: Array, default: [] },
    profile_order: { doc: 'Order in which key profiles are tried.', format: Array, default: [] },
    listed_names: {
      doc: 'How model listings name models: "model", or "endpoint/model" (the names Nexus clients use).',
      format: ['model', 'endpoint/model'],
      default: 'model',
    },
    timeouts: {
      connect_ms: { doc: 'Upstream connect timeout.', format: 'nat', default: 10_000 },
      first_token_ms: { doc: 'Longest wait for the first upstream event.', format: 'nat', default: 60_000 },
      idle_ms: { doc: 'Longest gap between upstream events.', format: 'nat', default: 60_000 },
      total_ms: { doc: 'Longest total upstream time for one request.', format: 'nat', default: 600_000 },
    },
    upstream_connections: {
      doc: 'Most open connections to one upstream origin (0: no limit); further calls wait for a free one, within connect_ms.',
      format: 'nat',
      default: 0,
      env: 'LLM_PROXY_UPSTREAM_CONNECTIONS',
    },
    upstream_idle_ms: {
      doc: 'How long an idle upstream connection stays open for the next call; a provider\'s longer Keep-Alive hint does not stretch it.',
      format: 'nat',
      default: 4_000,
      env: 'LLM_PROXY_UPSTREAM_IDLE_MS',
    },
    routing: {
      load_balance: {
        doc: 'How endpoints serving one model share load.',
        format: ['round_robin', 'least_connections', 'latency'],
        default: 'round_robin',
      },
      max_attempts: { doc: 'Most upstream attempts for one request, failovers included.', format: 'nat', default: 6 },
      retry_budget_percent: {
        doc: 'Retries allowed as a share of requests over the last 10 s, so failures cannot multiply load.',
        format: 'nat',
        default: 20,
      },
      min_retries_per_second: { doc: 'Retries always allowed regardless of the budget.', format: 'nat', default: 3 },
      backoff_base_ms: { doc: 'First backoff before retrying the same endpoint.', format: 'nat', default: 100 },
      backoff_max_ms: { doc: 'Largest backoff between attempts.', format: 'nat', default: 2_000 },
      cooldown_wait_ms: {
        doc: 'When every key is cooling down, how long a request may wait for the earliest to end before a 429.',
        format: 'nat',
        default: 0,
      },
    },
    cooldowns: {
      rate_limit_default_ms: { doc: 'Cooldown after a 429 without Retry-After.', format: 'nat', default: 30_000 },
      rate_limit_max_ms: { doc: 'Cap on a Retry-After-driven cooldown.', format: 'nat', default: 600_000 },
      auth_ms: { doc: 'Cooldown of a key the provider rejected (401/403).', format: 'nat', default: 3_600_000 },
      server_error_threshold: { doc: 'Upstream 5xx/timeouts in a row that cool a key down.', format: 'nat', default: 3 },
      server_error_ms: { doc: 'Cooldown after repeated 5xx/timeouts.', format: 'nat', default: 30_000 },
    },
  },
};

