import { parse } from 'yaml';
import { translateConfig } from './translate-config.js';

/** Seed 003's config.yaml, as its document writes it. */
const SEED = `
server:
  listen: ":8000"
backends:
  - url: "http://vllm:8000"
    weight: 5
  - url: "http://ollama:11434"
    weight: 3
auth:
  enabled: true
  header_names: ["Authorization", "X-API-Key"]
  skip_paths: ["/health", "/metrics"]
usage:
  enabled: true
  reporters:
    - name: billing
      type: webhook
      enabled: true
      webhook:
        url: "https://your-billing.com/llm-usage"
        timeout: 3s
rate_limit:
  enabled: true
  per_key:
    requests_per_minute: 60
    max_concurrent: 3
routing:
  load_balance: latency_based
`;

const translate = (text: string) => translateConfig(parse(text) as Record<string, unknown>, 'config.yaml');

describe('LLMProxy config.yaml', () => {
  it('becomes canonical settings', () => {
    const { dialect, content, warnings } = translate(SEED);
    expect(dialect).toBe('LLMProxy config.yaml');
    expect(warnings).toEqual([]);
    expect(content).toEqual({
      gateway: { host: '0.0.0.0', port: 8000 },
      endpoints: {
        vllm: { provider: 'openai-compatible', base_url: 'http://vllm:8000/v1', models: ['*'], weight: 5 },
        ollama: { provider: 'openai-compatible', base_url: 'http://ollama:11434/v1', models: ['*'], weight: 3 },
      },
      llm: { routing: { load_balance: 'latency' } },
      auth: { enabled: true, header_names: ['Authorization', 'X-API-Key'], skip_paths: ['/health', '/metrics'] },
      usage: {
        enabled: true,
        reporters: [{ name: 'billing', type: 'webhook', url: 'https://your-billing.com/llm-usage', timeout: '3s', format: 'object' }],
      },
      rate_limit: { per_key: { requests_per_minute: 60, max_concurrent: 3 } },
    });
  });

  it('keeps a backend URL that has a path, names two backends on one host apart, and drops what is switched off', () => {
    const { content } = translate(`
backends:
  - url: "http://gpu:8000/openai/v1"
  - url: "http://gpu:9000"
usage:
  reporters:
    - { name: old, type: webhook, enabled: false, webhook: { url: "http://x" } }
rate_limit:
  enabled: false
  per_key: { requests_per_minute: 1 }
`);
    expect(content.endpoints).toEqual({
      gpu: { provider: 'openai-compatible', base_url: 'http://gpu:8000/openai/v1', models: ['*'] },
      'gpu-9000': { provider: 'openai-compatible', base_url: 'http://gpu:9000/v1', models: ['*'] },
    });
    expect(content.usage).toEqual({ reporters: [] });
    expect(content.rate_limit).toBeUndefined();
  });

  it.each([
    ['cache:\n  enabled: true\nbackends: []', /LLMProxy config.yaml setting cache has no nachos equivalent/],
    ['backends:\n  - url: "http://a:1"\n    health_check: true', /setting backends\[0\]\.health_check has no nachos equivalent/],
    ['backends: []\nrouting:\n  load_balance: random', /setting routing\.load_balance must be one of round_robin, least_connections, latency_based/],
    ['backends: []\nusage:\n  reporters:\n    - { name: db, type: database }', /setting usage\.reporters\[0\]\.type "database" is not supported/],
    ['server:\n  listen: "8000"', /setting server\.listen must be "host:port" or ":port"/],
  ])('names an untranslatable key by its own name: %s', (text, message) => {
    expect(() => translate(text)).toThrow(message);
  });
});
