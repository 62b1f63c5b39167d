import { isTable, UntranslatableKey, type ConfigDialect, type ConfigTable } from './config-dialect.js';
import { environReference, keyReference } from './key-reference.js';

const NAME = 'LiteLLM config.yaml';
/** LiteLLM's provider prefixes (`<prefix>/<model>`) and the nachos plugin that speaks each. */
const PROVIDERS: Readonly<Record<string, string>> = {
  openai: 'openai',
  text_completion_openai: 'openai',
  anthropic: 'anthropic',
  gemini: 'google',
  azure: 'azure-openai',
  bedrock: 'bedrock',
  ollama: 'ollama',
  ollama_chat: 'ollama',
  groq: 'groq',
  mistral: 'mistral',
  deepseek: 'deepseek',
  xai: 'xai',
  perplexity: 'perplexity',
  openrouter: 'openrouter',
  together_ai: 'together',
  fireworks_ai: 'fireworks',
  sambanova: 'sambanova',
  hosted_vllm: 'openai-compatible',
  lm_studio: 'openai-compatible',
  openai_like: 'openai-compatible',
  custom_openai: 'openai-compatible',
};
/** `model_info` flags LiteLLM reads for a deployment, and the capability each declares. */
const CAPABILITY_FLAGS: Readonly<Record<string, string>> = {
  supports_function_calling: 'tools',
  supports_vision: 'vision',
  supports_reasoning: 'reasoning',
};
const STRATEGIES: Readonly<Record<string, string>> = {
  'simple-shuffle': 'round_robin',
  'least-busy': 'least_connections',
  'latency-based-routing': 'latency',
};

/**
 * LiteLLM's proxy `config.yaml`. Each `model_list` entry becomes an endpoint answering to its
 * `model_name` (entries sharing a name share its traffic, as LiteLLM balances them), `router_settings`
 * the routing, `general_settings.master_key` a gateway key that also opens the admin API. Everything
 * else LiteLLM reads is named in one warning, never dropped unseen.
 */
export const liteLlmDialect: ConfigDialect = {
  name: NAME,
  recognises: (content) => Array.isArray(content.model_list),
  translate(content) {
    const ignored: string[] = [];
    const out: ConfigTable = {};
    const llm: ConfigTable = {};
    for (const key of Object.keys(content)) {
      if (!['model_list', 'router_settings', 'general_settings'].includes(key)) ignored.push(key);
    }
    out.endpoints = translateModelList(content.model_list as unknown[], ignored);
    if (content.router_settings !== undefined) Object.assign(llm, translateRouter(content.router_settings, ignored));
    const warnings: string[] = [];
    if (content.general_settings !== undefined) Object.assign(out, translateGeneral(content.general_settings, ignored, warnings));
    if (Object.keys(llm).length > 0) out.llm = llm;
    if (ignored.length > 0) warnings.push(`LiteLLM settings nachos has no equivalent for: ${ignored.join(', ')}`);
    return { content: out, warnings };
  },
};

function translateModelList(list: unknown[], ignored: string[]): ConfigTable {
  const endpoints: ConfigTable = {};
  list.forEach((entry, index) => {
    const key = `model_list[${index}]`;
    if (!isTable(entry)) throw new UntranslatableKey(NAME, key, 'must be a mapping');
    for (const name of Object.keys(entry)) if (!['model_name', 'litellm_params', 'model_info'].includes(name)) ignored.push(`${key}.${name}`);
    if (typeof entry.model_name !== 'string' || entry.model_name === '') throw new UntranslatableKey(NAME, `${key}.model_name`, 'is required');
    const params = entry.litellm_params;
    if (!isTable(params) || typeof params.model !== 'string') throw new UntranslatableKey(NAME, `${key}.litellm_params.model`, 'is required');
    const slash = params.model.indexOf('/');
    const prefix = slash > 0 ? params.model.slice(0, slash) : 'openai';
    const provider = PROVIDERS[prefix];
    if (!provider) throw new UntranslatableKey(NAME, `${key}.litellm_params.model`, `names provider "${prefix}", which nachos has no plugin for`);
    const upstream = slash > 0 ? params.model.slice(slash + 1) : params.model;
    const endpoint: ConfigTable = { provider, models: [upstream] };
    if (entry.model_name !== upstream) endpoint.aliases = { [entry.model_name]: upstream };
    const options: ConfigTable = {};
    for (const [name, value] of Object.entries(params)) {
      const paramKey = `${key}.litellm_params.${name}`;
      if (name === 'model') continue;
      else if (name === 'api_key' && typeof value === 'string') Object.assign(endpoint, keyReference(value));
      else if (name === 'api_base') endpoint.base_url = fromEnviron(value);
      else if (name === 'api_version' && provider === 'azure-openai') options.api_version = fromEnviron(value);
      else if ((name === 'aws_region_name' || name === 'region_name') && provider === 'bedrock') options.region = fromEnviron(value);
      else if (name === 'rpm' || name === 'tpm') endpoint.rate_limit = { ...(endpoint.rate_limit as ConfigTable | undefined), [name]: value };
      else ignored.push(paramKey);
    }
    if (Object.keys(options).length > 0) endpoint.options = options;
    if (entry.model_info !== undefined) {
      const capabilities = translateModelInfo(entry.model_info, `${key}.model_info`, ignored);
      if (capabilities.length > 0) endpoint.capabilities = capabilities;
    }
    endpoints[endpointId(entry.model_name, endpoints)] = endpoint;
  });
  return endpoints;
}

/**
 * A deployment's `model_info` flags (`supports_vision: true`, `mode: embedding`) as the endpoint's declared
 * capabilities, which listings show for a model nachos does not know.
 */
function translateModelInfo(info: unknown, key: string, ignored: string[]): string[] {
  if (!isTable(info)) throw new UntranslatableKey(NAME, key, 'must be a mapping');
  const capabilities: string[] = [];
  for (const [name, value] of Object.entries(info)) {
    const capability = CAPABILITY_FLAGS[name];
    if (capability !== undefined && typeof value === 'boolean') {
      if (value) capabilities.push(capability);
    } else if (name === 'mode' && typeof value === 'string') {
      if (value === 'embedding') capabilities.push('embeddings');
    } else ignored.push(`${key}.${name}`);
  }
  return capabilities;
}

/** The model name as an endpoint id; a second deployment of the same name gets `-2`, and so on. */
function endpointId(modelName: string, taken: ConfigTable): string {
  const base = modelName.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+|-+$/g, '') || 'model';
  let id = base;
  for (let count = 2; id in taken; count += 1) id = `${base}-${count}`;
  return id;
}

/** `os.environ/X` anywhere but a key is the variable's value, read when the configuration loads. */
function fromEnviron(value: unknown): unknown {
  const variable = environReference(value);
  return variable ? `\${${variable}}` : value;
}

function translateRouter(value: unknown, ignored: string[]): ConfigTable {
  if (!isTable(value)) throw new UntranslatableKey(NAME, 'router_settings', 'must be a mapping');
  const routing: ConfigTable = {};
  const llm: ConfigTable = {};
  for (const [name, setting] of Object.entries(value)) {
    const key = `router_settings.${name}`;
    if (name === 'routing_strategy') {
      const mapped = STRATEGIES[String(setting)];
      if (mapped) routing.load_balance = mapped;
      else ignored.push(`${key} = ${String(setting)}`);
    } else if (name === 'num_retries' && typeof setting === 'number') {
      routing.max_attempts = setting + 1;
    } else if (name === 'timeout' && typeof setting === 'number') {
      llm.timeouts = { total_ms: Math.round(setting * 1000) };
    } else if (name === 'fallbacks' && Array.isArray(setting)) {
      llm.models = translateFallbacks(setting, key);
    } else {
      ignored.push(key);
    }
  }
  if (Object.keys(routing).length > 0) llm.routing = routing;
  return llm;
}

/** `[{"gpt-4o": ["claude-sonnet"]}, …]`: each model's own fallbacks, tried by their model names. */
function translateFallbacks(list: unknown[], key: string): ConfigTable {
  const models: ConfigTable = {};
  list.forEach((entry, index) => {
    if (!isTable(entry)) throw new UntranslatableKey(NAME, `${key}[${index}]`, 'must map a model name to a list of model names');
    for (const [model, fallbacks] of Object.entries(entry)) {
      const names = Array.isArray(fallbacks) ? fallbacks : [fallbacks];
      if (names.some((name) => typeof name !== 'string')) throw new UntranslatableKey(NAME, `${key}[${index}].${model}`, 'must be a list of model names');
      models[model] = { fallbacks: names };
    }
  });
  return models;
}

function translateGeneral(value: unknown, ignored: string[], warnings: string[]): ConfigTable {
  if (!isTable(value)) throw new UntranslatableKey(NAME, 'general_settings', 'must be a mapping');
  const out: ConfigTable = {};
  for (const [name, setting] of Object.entries(value)) {
    if (name === 'master_key' && typeof setting === 'string' && setting.trim() !== '') {
      const variable = environReference(setting);
      if (!variable) warnings.push('general_settings.master_key holds the key itself in the file: write os.environ/<VARIABLE> to keep it out');
      // LiteLLM's master key is its admin key as well as a key for every model.
      out.auth = { keys: [{ name: 'master_key', ...(variable ? { key_env: variable } : { key: setting }), admin: true }] };
    } else {
      ignored.push(`general_settings.${name}`);
    }
  }
  return out;
}
