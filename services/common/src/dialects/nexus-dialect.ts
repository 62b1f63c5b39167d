import { PATH_PREFIX } from '../check-config-shape.js';
import { isTable, refuseUnknownKeys, UntranslatableKey, type ConfigDialect, type ConfigTable } from './config-dialect.js';
import { keyReference } from './key-reference.js';

const NAME = 'Nexus nexus.toml';
/** Nexus provider types and the plugin that speaks each. */
const PROVIDER_TYPES: Readonly<Record<string, string>> = {
  openai: 'openai',
  anthropic: 'anthropic',
  google: 'google',
  bedrock: 'bedrock',
};
const PROTOCOLS = ['openai', 'anthropic'];

/**
 * Grafbase Nexus' `nexus.toml`: `[llm.providers.<name>]` become endpoints named `<name>` serving exactly
 * their `models.<id>` tables (so `<name>/<id>` picks that provider and an unlisted model is a 404), each
 * `rename` becomes `<name>/<alias>` → `<name>/<model>`, and `[llm.protocols.*]` say which client
 * protocols are served and where (`[gateway.protocols.*]`).
 */
export const nexusDialect: ConfigDialect = {
  name: NAME,
  recognises: (content) =>
    isTable(content.llm) && (isTable(content.llm.providers) || isTable(content.llm.protocols) || typeof content.llm.enabled === 'boolean'),
  translate(content) {
    refuseUnknownKeys(NAME, content, '', ['llm', 'server']);
    const llm = content.llm as ConfigTable;
    refuseUnknownKeys(NAME, llm, 'llm', ['enabled', 'protocols', 'providers']);
    const warnings: string[] = [];
    const gateway: ConfigTable = content.server === undefined ? {} : translateServer(content.server);
    const protocols = translateProtocols(llm.protocols, llm.enabled !== false);
    if (llm.enabled === false) warnings.push('llm.enabled = false: the OpenAI and Anthropic protocols are not served, the Ollama API (/api) still is');
    if (Object.keys(protocols).length > 0) gateway.protocols = protocols;
    const out: ConfigTable = Object.keys(gateway).length > 0 ? { gateway } : {};
    const auth = isTable(content.server) ? translateClientIdentification(content.server.client_identification) : undefined;
    if (auth) out.auth = auth;
    const endpoints: ConfigTable = {};
    const renames: ConfigTable = {};
    const providers = llm.providers ?? {};
    if (!isTable(providers)) throw new UntranslatableKey(NAME, 'llm.providers', 'must be a table');
    const modelLimits: ConfigTable[] = [];
    for (const [name, entry] of Object.entries(providers)) {
      const translated = translateProvider(name, entry);
      endpoints[name] = translated.endpoint;
      Object.assign(renames, translated.renames);
      if (translated.perUser) modelLimits.push({ model: namesOf(name, translated.endpoint.models as string[]), per_user: translated.perUser });
    }
    if (Object.keys(endpoints).length > 0) out.endpoints = endpoints;
    if (modelLimits.length > 0) out.rate_limit = { per_model: modelLimits };
    if (modelLimits.length > 0 && !auth) {
      warnings.push('rate_limits.per_user without [server.client_identification]: a user is the one a request names (OpenAI user, Anthropic metadata.user_id, x-user-id), else every caller of one gateway key shares its budget');
    }
    // Nexus lists and takes models as `<provider>/<model>` only.
    out.llm = { listed_names: 'endpoint/model', ...(Object.keys(renames).length > 0 ? { models: renames } : {}) };
    return { content: out, warnings };
  },
};

function translateServer(value: unknown): ConfigTable {
  if (!isTable(value)) throw new UntranslatableKey(NAME, 'server', 'must be a table');
  refuseUnknownKeys(NAME, value, 'server', ['listen_address', 'client_identification']);
  if (value.listen_address === undefined) return {};
  const match = typeof value.listen_address === 'string' ? /^\[?([^\]]*)\]?:(\d{1,5})$/.exec(value.listen_address.trim()) : null;
  if (!match) throw new UntranslatableKey(NAME, 'server.listen_address', 'must be "host:port"');
  return { host: match[1] || '0.0.0.0', port: Number(match[2]) };
}

/**
 * `[server.client_identification]`, who a user is for `rate_limits.per_user`: a client id read from
 * `client_id.http_header` becomes `[auth] user_header`. A JWT claim needs Nexus' OAuth2, and groups its
 * per-group limits, neither of which nachos has.
 */
function translateClientIdentification(value: unknown): ConfigTable | undefined {
  const key = 'server.client_identification';
  if (value === undefined) return undefined;
  if (!isTable(value)) throw new UntranslatableKey(NAME, key, 'must be a table');
  refuseUnknownKeys(NAME, value, key, ['enabled', 'client_id']);
  if (value.enabled === false) return undefined;
  const clientId = value.client_id;
  if (!isTable(clientId)) throw new UntranslatableKey(NAME, `${key}.client_id`, 'must be a table');
  refuseUnknownKeys(NAME, clientId, `${key}.client_id`, ['http_header']);
  if (typeof clientId.http_header !== 'string') throw new UntranslatableKey(NAME, `${key}.client_id.http_header`, 'must name a header');
  return { user_header: clientId.http_header };
}

/**
 * `[llm.protocols.<name>]` as `[gateway.protocols.<name>]`: `enabled` and `path` mean the same (nachos
 * also answers at the root, `/v1/…`, as its own clients expect). `[llm] enabled = false` switches both off.
 */
function translateProtocols(value: unknown, llmEnabled: boolean): ConfigTable {
  const out: ConfigTable = {};
  if (!llmEnabled) for (const name of PROTOCOLS) out[name] = { enabled: false };
  if (value === undefined) return out;
  if (!isTable(value)) throw new UntranslatableKey(NAME, 'llm.protocols', 'must be a table');
  for (const [name, entry] of Object.entries(value)) {
    const key = `llm.protocols.${name}`;
    if (!PROTOCOLS.includes(name)) throw new UntranslatableKey(NAME, key, `is not a protocol nachos serves (${PROTOCOLS.join(', ')})`);
    if (!isTable(entry)) throw new UntranslatableKey(NAME, key, 'must be a table');
    refuseUnknownKeys(NAME, entry, key, ['enabled', 'path']);
    const served: ConfigTable = { enabled: llmEnabled && entry.enabled !== false };
    if (entry.path !== undefined) {
      const path = typeof entry.path === 'string' ? entry.path.replace(/(?<=.)\/+$/, '') : '';
      if (!PATH_PREFIX.test(path)) throw new UntranslatableKey(NAME, `${key}.path`, 'must be a path such as "/llm/openai"');
      served.path = path;
    }
    out[name] = served;
  }
  return out;
}

interface TranslatedProvider {
  endpoint: ConfigTable;
  renames: ConfigTable;
  /** `rate_limits.per_user`, when the provider sets it. */
  perUser: ConfigTable | undefined;
}

function translateProvider(name: string, value: unknown): TranslatedProvider {
  const key = `llm.providers.${name}`;
  if (!isTable(value)) throw new UntranslatableKey(NAME, key, 'must be a table');
  refuseUnknownKeys(NAME, value, key, ['type', 'api_key', 'base_url', 'forward_token', 'region', 'models', 'rate_limits']);
  const provider = PROVIDER_TYPES[String(value.type)];
  if (!provider) throw new UntranslatableKey(NAME, `${key}.type`, `must be one of ${Object.keys(PROVIDER_TYPES).join(', ')}`);
  const endpoint: ConfigTable = { provider };
  if (typeof value.api_key === 'string') Object.assign(endpoint, keyReference(value.api_key));
  if (value.base_url !== undefined) endpoint.base_url = value.base_url;
  if (value.forward_token !== undefined) endpoint.forward_token = value.forward_token;
  if (value.region !== undefined) endpoint.options = { region: value.region };
  const models: string[] = [];
  const renames: ConfigTable = {};
  const tables = value.models ?? {};
  if (!isTable(tables)) throw new UntranslatableKey(NAME, `${key}.models`, 'must be a table of model tables');
  for (const [id, model] of Object.entries(tables)) {
    const modelKey = `${key}.models.${id}`;
    if (!isTable(model)) throw new UntranslatableKey(NAME, modelKey, 'must be a table');
    refuseUnknownKeys(NAME, model, modelKey, ['rename']);
    if (typeof model.rename === 'string') {
      renames[`${name}/${id}`] = { rename: `${name}/${model.rename}` };
      if (!models.includes(model.rename)) models.push(model.rename);
    } else if (!models.includes(id)) {
      models.push(id);
    }
  }
  endpoint.models = models;
  return { endpoint, renames, perUser: readPerUser(value.rate_limits, `${key}.rate_limits`) };
}

function readPerUser(value: unknown, key: string): ConfigTable | undefined {
  if (value === undefined) return undefined;
  if (!isTable(value)) throw new UntranslatableKey(NAME, key, 'must be a table');
  refuseUnknownKeys(NAME, value, key, ['per_user']);
  const perUser = value.per_user;
  if (!isTable(perUser)) throw new UntranslatableKey(NAME, `${key}.per_user`, 'must be a table');
  refuseUnknownKeys(NAME, perUser, `${key}.per_user`, ['input_token_limit', 'interval']);
  return { ...perUser };
}

/**
 * Every name that reaches provider `name`, so that its per-user limit counts them all as one: its
 * `<name>/<model>` and `<name>:<model>` names, and each of its models by id alone or as `<name>-<model>`.
 */
function namesOf(name: string, models: readonly string[]): string[] {
  return [`${name}/*`, `${name}:*`, ...models.flatMap((model) => [model, `${name}-${model}`])];
}
