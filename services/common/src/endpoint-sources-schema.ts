import convict from 'convict';

/**
 * `1`/`0`, `true`/`false`, `yes`/`no`, `on`/`off` from the environment; a boolean from a file. convict's
 * own Boolean reads every string but `false` as true, which would turn `LLM_PROXY_LOCAL_DISCOVERY=0` on.
 */
convict.addFormat({
  name: 'switch',
  validate(value: unknown) {
    if (typeof value !== 'boolean') throw new Error('must be true or false (1 or 0)');
  },
  coerce(value: string) {
    const word = value.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(word)) return true;
    if (['0', 'false', 'no', 'off', ''].includes(word)) return false;
    return value;
  },
});

const SIGNATURE_PORT = /^(ollama|lmstudio|vllm|litellm)=\d{1,5}$/;

/** A comma list of `provider=port` for the server kinds discovery knows. */
convict.addFormat({
  name: 'signature-ports',
  validate(value: unknown) {
    if (!Array.isArray(value) || value.some((entry) => typeof entry !== 'string' || !SIGNATURE_PORT.test(entry.trim()))) {
      throw new Error('must be a list of provider=port with provider one of ollama, lmstudio, vllm, litellm');
    }
  },
  coerce: (value: string) => value.split(',').map((entry) => entry.trim()).filter(Boolean),
});

/**
 * The endpoints llm-proxy learns at run time: auto-discovery of local model servers, and the registry
 * the admin API writes (where it is kept, and which hosts an added endpoint may point at).
 */
export const endpointSourcesSchema = {
  discovery: {
    local_scan: {
      doc: 'Probe this machine and the peers for Ollama, LM Studio, vLLM and LiteLLM servers, at start and on an interval.',
      format: 'switch',
      default: true,
      env: 'LLM_PROXY_LOCAL_DISCOVERY',
    },
    peers: {
      doc: 'Other hosts to probe: a bare host is probed on every signature port, host:port on that port for every signature.',
      format: Array,
      default: [],
      env: 'LLM_PROXY_DISCOVERY_PEERS',
    },
    hosts: {
      doc: 'The hosts that count as this machine; their servers register under the bare provider id (ollama, vllm, …).',
      format: Array,
      default: ['127.0.0.1', 'host.docker.internal'],
      env: 'LLM_PROXY_DISCOVERY_HOSTS',
    },
    ports: {
      doc: 'The port each server kind listens on by default, as provider=port.',
      format: 'signature-ports',
      default: ['ollama=11434', 'lmstudio=1234', 'vllm=8000', 'litellm=4000'],
      env: 'LLM_PROXY_DISCOVERY_PORTS',
    },
    interval_ms: {
      doc: 'How often discovery probes again; servers that went away are dropped, new ones added.',
      format: 'nat',
      default: 30_000,
      env: 'LLM_PROXY_DISCOVERY_INTERVAL_MS',
    },
    timeout_ms: {
      doc: 'How long one probe may take (connect and answer).',
      format: 'nat',
      default: 800,
      env: 'LLM_PROXY_DISCOVERY_TIMEOUT_MS',
    },
  },
  registry: {
    file: {
      doc: 'Where endpoints added through the admin API are kept when there is no REDIS_URL (written atomically, mode 0600).',
      format: String,
      default: '.nachos/registry.json',
      env: 'LLM_PROXY_REGISTRY_FILE',
    },
    sync_interval_ms: {
      doc: 'How often each replica re-reads the registry, in case a change notice was missed.',
      format: 'nat',
      default: 15_000,
      env: 'LLM_PROXY_REGISTRY_SYNC_INTERVAL_MS',
    },
    allowed_hosts: {
      doc: 'When not empty, the only hosts an endpoint added at run time may use: names (*.example.com), addresses or CIDR ranges.',
      format: Array,
      default: [],
      env: 'LLM_PROXY_REGISTRY_ALLOWED_HOSTS',
    },
    denied_hosts: {
      doc: 'Hosts an endpoint added at run time may never use: names (*.example.com), addresses or CIDR ranges.',
      format: Array,
      default: [],
      env: 'LLM_PROXY_REGISTRY_DENIED_HOSTS',
    },
    allow_link_local: {
      doc: 'Allow endpoints added at run time on link-local addresses (169.254.0.0/16, fe80::/10), where cloud metadata services live.',
      format: 'switch',
      default: false,
      env: 'LLM_PROXY_REGISTRY_ALLOW_LINK_LOCAL',
    },
    allow_loopback: {
      doc: "Allow endpoints added at run time on loopback, this machine's own addresses or llm-proxy's own ports (off: a local model server is declared in the config file or the environment instead).",
      format: 'switch',
      default: false,
      env: 'LLM_PROXY_REGISTRY_ALLOW_LOOPBACK',
    },
  },
};
