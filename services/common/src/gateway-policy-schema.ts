import { checkTable, HEADER_NAME, isBoolean, isOneOf, isString, isStringList, isStringMap, type FieldCheck } from './check-config-shape.js';

/**
 * The gateway's policy settings: who may call (`[auth]`), how much (`[rate_limit]`), what is reported
 * (`[usage]`) and which client headers travel upstream (`[[header_rules]]`). The names are the ones users
 * of the gateways this replaces already write. Lists of tables are checked here, strictly, because
 * convict treats a list as one value.
 */

/** A count of 0 means "no limit", so an absent limit and a switched-off one read the same. */
const isCount: FieldCheck = (value, key) => {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new Error(`${key} must be a whole number ≥ 0`);
};

const INTERVAL = /^(\d+)(ms|s|m|h|d)$/;
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `"90s"`, `"15m"`, `"1h"`, `"1d"` (or a number of milliseconds) as milliseconds; undefined when malformed. */
export function parseInterval(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = INTERVAL.exec(value.trim());
  if (!match) return undefined;
  const milliseconds = Number(match[1]) * (UNIT_MS[match[2] as string] as number);
  return milliseconds > 0 ? milliseconds : undefined;
}

const isInterval: FieldCheck = (value, key) => {
  if (parseInterval(value) === undefined) throw new Error(`${key} must be a duration such as "60s", "15m", "1h" or "1d"`);
};

/** Model patterns travel to llm-proxy as a comma list, so a pattern may not hold a comma. */
const isModelPatternList: FieldCheck = (value, key) => {
  isStringList(value, key);
  // An empty list would read as "every model" once it travels to llm-proxy; leave the key out for that.
  if ((value as string[]).length === 0) throw new Error(`${key} must name at least one model pattern (leave it out for every model)`);
  for (const pattern of value as string[]) {
    if (pattern.trim() === '' || pattern.includes(',')) throw new Error(`${key} holds "${pattern}": a pattern is a model name, '*' for any run of characters, no commas`);
  }
};

const checkKeyLimits = (value: unknown, key: string) =>
  checkTable(value, key, {
    requests_per_minute: isCount,
    tokens_per_minute: isCount,
    max_concurrent: isCount,
    input_token_limit: isCount,
  });

const isEnvName: FieldCheck = (value, key) => {
  if (typeof value !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(value)) throw new Error(`${key} must name an environment variable`);
};

/** A key written in the file: its value is never part of an error. */
const isSecretValue: FieldCheck = (value, key) => {
  if (typeof value !== 'string' || value.trim() === '') throw new Error(`${key} must be a non-empty string`);
};

const isName: FieldCheck = (value, key) => {
  if (typeof value !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(value)) {
    throw new Error(`${key} must be 1–64 letters, digits, '.', '_' or '-'`);
  }
};

/** Checks a list of tables, each entry named by its position in the error. */
function checkListOf(value: unknown, key: string, checkEntry: (entry: unknown, entryKey: string) => void): void {
  if (!Array.isArray(value)) throw new Error(`${key} must be a list of tables`);
  value.forEach((entry, index) => checkEntry(entry, `${key}[${index}]`));
}

/** `[[auth.keys]]`: each key is named, read from an environment variable (or `_FILE`) or a file, or written as is. */
export function checkAuthKeys(value: unknown): void {
  const names = new Set<string>();
  let admins = 0;
  checkListOf(value, 'auth.keys', (entry, key) => {
    checkTable(entry, key, { name: isName, key_env: isEnvName, key_file: isString, key: isSecretValue, admin: isBoolean, models: isModelPatternList, rate_limit: checkKeyLimits }, ['name']);
    const record = entry as Record<string, unknown>;
    if (record.admin === true && admins++ > 0) throw new Error(`${key}.admin: only one key may open the admin API`);
    const sources = [record.key_env, record.key_file, record.key].filter((source) => source !== undefined);
    if (sources.length !== 1) throw new Error(`${key} needs exactly one of key_env, key_file and key`);
    const name = record.name as string;
    if (names.has(name)) throw new Error(`${key}.name "${name}" is used twice`);
    names.add(name);
  });
}

/** A model pattern, or several counted as one (every name a provider answers to). */
const isModelPatterns: FieldCheck = (value, key) => {
  if (Array.isArray(value)) isModelPatternList(value, key);
  else isString(value, key);
};

const checkModelPerUser = (value: unknown, key: string) =>
  checkTable(value, key, { input_token_limit: isCount, interval: isInterval }, ['input_token_limit']);

/**
 * `[[rate_limit.per_model]]`: limits shared by every caller of the models its patterns name, and
 * `per_user`, input tokens each end user (or, naming none, each key) may send to them per interval.
 */
export function checkModelLimits(value: unknown): void {
  checkListOf(value, 'rate_limit.per_model', (entry, key) =>
    checkTable(entry, key, { model: isModelPatterns, requests_per_minute: isCount, tokens_per_minute: isCount, per_user: checkModelPerUser }, ['model']),
  );
}

/** `[[usage.reporters]]`: where usage records go. */
export function checkUsageReporters(value: unknown): void {
  const names = new Set<string>();
  checkListOf(value, 'usage.reporters', (entry, key) => {
    checkTable(
      entry,
      key,
      {
        name: isName,
        type: isOneOf('webhook', 'log'),
        url: isString,
        timeout: isInterval,
        token_env: isEnvName,
        batch_size: isCount,
        flush_interval: isInterval,
        max_queue: isCount,
        max_retries: isCount,
        format: isOneOf('array', 'object'),
      },
      ['name', 'type'],
    );
    const record = entry as Record<string, unknown>;
    if (record.type === 'webhook') {
      let url: URL | undefined;
      try {
        url = new URL(String(record.url));
      } catch {
        url = undefined;
      }
      if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw new Error(`${key}.url must be an http(s) URL for a webhook reporter`);
    }
    const name = record.name as string;
    if (names.has(name)) throw new Error(`${key}.name "${name}" is used twice`);
    names.add(name);
  });
}

/** A header name, or `/regex/` to match several (case-insensitive). */
const isHeaderPatternList: FieldCheck = (value, key) => {
  isStringList(value, key);
  for (const pattern of value as string[]) {
    if (pattern.startsWith('/') && pattern.endsWith('/') && pattern.length > 2) {
      try {
        new RegExp(pattern.slice(1, -1), 'i');
      } catch {
        throw new Error(`${key} holds an invalid regular expression ${pattern}`);
      }
    } else if (!HEADER_NAME.test(pattern)) {
      throw new Error(`${key} holds "${pattern}", which is neither a header name nor a /regex/`);
    }
  }
};

const isHeaderValueMap: FieldCheck = (value, key) => {
  isStringMap(value, key);
  for (const [name, item] of Object.entries(value as Record<string, string>)) {
    if (/[\r\n]/.test(item)) throw new Error(`${key}.${name} may not contain a line break`);
  }
};

/** `[[header_rules]]`: what happens to headers on the way upstream, per provider and/or model. */
export function checkHeaderRules(value: unknown): void {
  checkListOf(value, 'header_rules', (entry, key) =>
    checkTable(entry, key, {
      providers: isStringList,
      models: isModelPatternList,
      forward: isHeaderPatternList,
      insert: isHeaderValueMap,
      remove: isHeaderPatternList,
      rename: isStringMap,
    }),
  );
}

/** The convict schema of the policy sections; merged into the config schema by {@link nachosConfigSchema}. */
export const gatewayPolicySchema = {
  auth: {
    enabled: {
      doc: 'Whether callers must present a gateway key. Unset: required when a key is configured, else the gateway serves openly; true with no key configured refuses to start.',
      format: Boolean,
      default: null,
      nullable: true,
      env: 'NACHOS_AUTH_ENABLED',
    },
    header_names: {
      doc: 'Request headers a gateway key is read from, in order (Authorization takes "Bearer <key>").',
      format: Array,
      default: ['authorization', 'x-api-key', 'api-key', 'x-goog-api-key'],
    },
    provider_key_header: {
      doc: "Request header a caller's own provider key comes in, for providers with forward_token; never one a gateway key is read from.",
      format: isHeaderNameFormat,
      default: 'x-provider-api-key',
      env: 'NACHOS_PROVIDER_KEY_HEADER',
    },
    user_header: {
      doc: "Request header naming the end user, for per-user limits and usage, when the body names none (OpenAI's user, Anthropic's metadata.user_id).",
      format: isHeaderNameFormat,
      default: 'x-user-id',
    },
    skip_paths: {
      doc: 'Paths served without a gateway key (exact matches).',
      format: Array,
      default: ['/', '/health', '/ready', '/metrics', '/api/version'],
    },
    keys: { doc: 'Named gateway keys ([[auth.keys]]).', format: checkAuthKeys, default: [], sensitive: true },
    failed_attempts_per_minute: {
      doc: 'Wrong or missing keys one client address may present per minute before it is refused with 429; 0 = no limit.',
      format: 'nat',
      default: 30,
    },
  },
  rate_limit: {
    per_key: {
      requests_per_minute: { doc: 'Requests per key per minute; 0 = no limit.', format: 'nat', default: 0 },
      tokens_per_minute: { doc: 'Input + output tokens per key per minute; 0 = no limit.', format: 'nat', default: 0 },
      max_concurrent: { doc: 'Requests (streams included) one key may have open at once; 0 = no limit.', format: 'nat', default: 0 },
    },
    per_user: {
      input_token_limit: { doc: 'Input tokens one end user (of one key) may send per interval; 0 = no limit.', format: 'nat', default: 0 },
      interval: { doc: 'The per-user interval, e.g. "1h" or "1d".', format: isIntervalFormat, default: '1d' },
    },
    per_model: { doc: 'Limits per model pattern, shared by all keys ([[rate_limit.per_model]]).', format: checkModelLimits, default: [] },
    on_redis_failure: {
      doc: 'While Redis is unreachable: "local" limits per process (limit ÷ replicas), "open" admits everything, "closed" refuses with 503.',
      format: ['local', 'open', 'closed'],
      default: 'local',
      env: 'NACHOS_RATE_LIMIT_ON_REDIS_FAILURE',
    },
    replicas: {
      doc: 'Gateway replicas sharing the limits; while Redis is down each enforces its share.',
      format: 'nat',
      default: 1,
      env: 'NACHOS_GATEWAY_REPLICAS',
    },
    lease_ttl_ms: {
      doc: 'Life of a concurrency slot unless renewed; a replica that dies frees its slots after this.',
      format: 'nat',
      default: 30_000,
    },
    estimated_output_tokens: {
      doc: 'Output tokens reserved at admission (at most the request’s own max tokens); reconciled with real usage.',
      format: 'nat',
      default: 256,
    },
  },
  usage: {
    enabled: { doc: 'Whether a usage record is reported for each model request.', format: Boolean, default: true, env: 'NACHOS_USAGE_ENABLED' },
    reporters: { doc: 'Usage reporters ([[usage.reporters]]): webhook or log.', format: checkUsageReporters, default: [] },
    history_retention: {
      doc: 'How long per-minute usage history (the admin console\'s charts) is kept, in Redis or in memory.',
      format: (value: unknown) => isInterval(value, 'usage.history_retention'),
      default: '8d',
      env: 'NACHOS_USAGE_HISTORY_RETENTION',
    },
  },
  header_rules: {
    doc: 'Header rules ([[header_rules]]) per provider and/or model: forward, insert, remove, rename.',
    format: checkHeaderRules,
    default: [],
  },
};

function isHeaderNameFormat(value: unknown): void {
  if (typeof value !== 'string' || !HEADER_NAME.test(value)) throw new Error('must be a header name');
}

function isIntervalFormat(value: unknown): void {
  isInterval(value, 'rate_limit.per_user.interval');
}
