import { isTable, refuseUnknownKeys, UntranslatableKey, type ConfigDialect, type ConfigTable } from './config-dialect.js';

const NAME = 'LLMProxy config.yaml';
const LOAD_BALANCE: Readonly<Record<string, string>> = {
  round_robin: 'round_robin',
  least_connections: 'least_connections',
  latency_based: 'latency',
};

/**
 * LLMProxy's `config.yaml`: `server.listen`, `backends` (OpenAI-compatible servers, weighted, each serving
 * whatever model it is asked for), `routing.load_balance`, `auth`, `usage.reporters` and `rate_limit`.
 * A backend given as a server root (`http://vllm:8000`) gets `/v1`, the path LLMProxy appends.
 */
export const llmProxyDialect: ConfigDialect = {
  name: NAME,
  recognises: (content) => Array.isArray(content.backends) || (isTable(content.server) && 'listen' in content.server),
  translate(content) {
    refuseUnknownKeys(NAME, content, '', ['server', 'backends', 'routing', 'auth', 'usage', 'rate_limit']);
    const out: ConfigTable = {};
    if (content.server !== undefined) out.gateway = translateServer(content.server);
    if (content.backends !== undefined) out.endpoints = translateBackends(content.backends);
    if (content.routing !== undefined) out.llm = { routing: translateRouting(content.routing) };
    if (content.auth !== undefined) out.auth = translateAuth(content.auth);
    if (content.usage !== undefined) out.usage = translateUsage(content.usage);
    if (content.rate_limit !== undefined) {
      const limit = tableAt(content.rate_limit, 'rate_limit');
      refuseUnknownKeys(NAME, limit, 'rate_limit', ['enabled', 'per_key']);
      if (limit.enabled !== false && limit.per_key !== undefined) out.rate_limit = { per_key: limit.per_key };
    }
    return { content: out, warnings: [] };
  },
};

function tableAt(value: unknown, key: string): ConfigTable {
  if (!isTable(value)) throw new UntranslatableKey(NAME, key, 'must be a mapping');
  return value;
}

/** `listen: ":8000"` (every interface) or `"host:port"`. */
function translateServer(value: unknown): ConfigTable {
  const server = tableAt(value, 'server');
  refuseUnknownKeys(NAME, server, 'server', ['listen']);
  if (server.listen === undefined) return {};
  const match = typeof server.listen === 'string' ? /^(.*):(\d{1,5})$/.exec(server.listen.trim()) : null;
  if (!match) throw new UntranslatableKey(NAME, 'server.listen', 'must be "host:port" or ":port"');
  const host = (match[1] as string).replace(/^\[(.*)\]$/, '$1');
  return { host: host === '' ? '0.0.0.0' : host, port: Number(match[2]) };
}

function translateBackends(value: unknown): ConfigTable {
  if (!Array.isArray(value)) throw new UntranslatableKey(NAME, 'backends', 'must be a list');
  const endpoints: ConfigTable = {};
  value.forEach((entry, index) => {
    const key = `backends[${index}]`;
    const backend = tableAt(entry, key);
    refuseUnknownKeys(NAME, backend, key, ['url', 'weight', 'name']);
    if (typeof backend.url !== 'string') throw new UntranslatableKey(NAME, `${key}.url`, 'is required');
    const id = typeof backend.name === 'string' ? backend.name : backendId(backend.url, index, endpoints);
    endpoints[id] = {
      provider: 'openai-compatible',
      base_url: withApiPath(backend.url),
      models: ['*'],
      ...(backend.weight !== undefined ? { weight: backend.weight } : {}),
    };
  });
  return endpoints;
}

/** `http://vllm-1:8000` → `vllm-1`; a second backend on the same host gets its port too. */
function backendId(url: string, index: number, taken: ConfigTable): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UntranslatableKey(NAME, `backends[${index}].url`, 'must be an http(s) URL');
  }
  const host = parsed.hostname.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || `backend-${index + 1}`;
  for (const candidate of [host, `${host}-${parsed.port || 'default'}`, `backend-${index + 1}`]) {
    if (!(candidate in taken)) return candidate;
  }
  return `backend-${index + 1}-${Object.keys(taken).length}`;
}

function withApiPath(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.pathname === '/' || parsed.pathname === '') return `${url.replace(/\/+$/, '')}/v1`;
  } catch {
    // checked by the canonical schema, which names the key
  }
  return url;
}

function translateRouting(value: unknown): ConfigTable {
  const routing = tableAt(value, 'routing');
  refuseUnknownKeys(NAME, routing, 'routing', ['load_balance']);
  if (routing.load_balance === undefined) return {};
  const mapped = LOAD_BALANCE[String(routing.load_balance)];
  if (!mapped) throw new UntranslatableKey(NAME, 'routing.load_balance', `must be one of ${Object.keys(LOAD_BALANCE).join(', ')}`);
  return { load_balance: mapped };
}

function translateAuth(value: unknown): ConfigTable {
  const auth = tableAt(value, 'auth');
  refuseUnknownKeys(NAME, auth, 'auth', ['enabled', 'header_names', 'skip_paths']);
  return { ...auth };
}

/** `usage.reporters[]` with `enabled` and a nested `webhook: {url, timeout}`; LLMProxy posts one record per request. */
function translateUsage(value: unknown): ConfigTable {
  const usage = tableAt(value, 'usage');
  refuseUnknownKeys(NAME, usage, 'usage', ['enabled', 'reporters']);
  const out: ConfigTable = {};
  if (usage.enabled !== undefined) out.enabled = usage.enabled;
  if (usage.reporters === undefined) return out;
  if (!Array.isArray(usage.reporters)) throw new UntranslatableKey(NAME, 'usage.reporters', 'must be a list');
  out.reporters = usage.reporters.flatMap((entry, index) => {
    const key = `usage.reporters[${index}]`;
    const reporter = tableAt(entry, key);
    refuseUnknownKeys(NAME, reporter, key, ['name', 'type', 'enabled', 'webhook']);
    if (reporter.enabled === false) return [];
    if (reporter.type !== 'webhook') throw new UntranslatableKey(NAME, `${key}.type`, `"${String(reporter.type)}" is not supported (webhook is)`);
    const webhook = tableAt(reporter.webhook, `${key}.webhook`);
    refuseUnknownKeys(NAME, webhook, `${key}.webhook`, ['url', 'timeout']);
    return [{
      name: reporter.name ?? `reporter-${index + 1}`,
      type: 'webhook',
      url: webhook.url,
      ...(webhook.timeout !== undefined ? { timeout: webhook.timeout } : {}),
      format: 'object',
    }];
  });
  return out;
}
