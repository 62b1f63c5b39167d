import {
  checkMapOf,
  checkTable,
  isAnyTable,
  isBoolean,
  isOneOf,
  isPositiveNumber,
  isString,
  isStringList,
  isStringMap,
  isUrl,
} from './check-config-shape.js';

const checkRateLimit = (value: unknown, key: string) =>
  checkTable(value, key, { rpm: isPositiveNumber, tpm: isPositiveNumber });

const checkEndpoint = (value: unknown, key: string) =>
  checkTable(value, key, {
    provider: isString,
    base_url: isUrl,
    api_key_env: isString,
    auth_type: isOneOf('bearer', 'header', 'none'),
    models: isStringList,
    weight: isPositiveNumber,
    rate_limit: checkRateLimit,
    headers: isStringMap,
    options: isAnyTable,
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
  'llm.models': (value: unknown) => checkMapOf(value, 'llm.models', checkModelRoute),
  'llm.profiles': (value: unknown) => checkProfiles(value, 'llm.profiles'),
} as const;

/**
 * The convict schema of the config file's fixed keys. Both services validate all of it, strictly, so that a
 * typo stops start-up wherever it is; each then reads its own part.
 */
export const nachosConfigSchema = {
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
  },
  llm_proxy: {
    grpc_port: { doc: 'llm-proxy gRPC port.', format: 'port', default: 50051, env: 'LLM_PROXY_GRPC_PORT' },
    host: { doc: 'llm-proxy bind address.', format: String, default: '127.0.0.1', env: 'LLM_PROXY_HOST' },
    plugins_dir: {
      doc: 'Folder scanned for provider plugins; empty means the plugins/ folder of this installation.',
      format: String,
      default: '',
      env: 'NACHOS_PLUGINS_DIR',
    },
    shutdown_grace_ms: {
      doc: 'How long open streams may finish after SIGTERM.',
      format: 'nat',
      default: 25_000,
      env: 'SHUTDOWN_GRACE_MS',
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
    timeouts: {
      connect_ms: { doc: 'Upstream connect timeout.', format: 'nat', default: 10_000 },
      first_token_ms: { doc: 'Longest wait for the first upstream event.', format: 'nat', default: 60_000 },
      idle_ms: { doc: 'Longest gap between upstream events.', format: 'nat', default: 60_000 },
      total_ms: { doc: 'Longest total upstream time for one request.', format: 'nat', default: 600_000 },
    },
    routing: {
      load_balance: {
        doc: 'How endpoints serving one model share load.',
        format: ['round_robin', 'least_connections', 'latency'],
        default: 'round_robin',
      },
    },
  },
};

