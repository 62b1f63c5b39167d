import { parse } from 'yaml';
import { translateConfig } from './translate-config.js';

const translate = (text: string) => translateConfig(parse(text) as Record<string, unknown>, 'config.yaml');

describe('LiteLLM config.yaml', () => {
  it('becomes canonical settings: an endpoint per deployment answering to its model_name', () => {
    const { dialect, content, warnings } = translate(`
model_list:
  - model_name: gpt-4o
    litellm_params:
      model: openai/gpt-4o
      api_key: os.environ/OPENAI_API_KEY
      rpm: 100
      tpm: 20000
  - model_name: gpt-4o
    litellm_params:
      model: azure/my-gpt4o
      api_base: os.environ/AZURE_API_BASE
      api_key: os.environ/AZURE_API_KEY
      api_version: "2024-10-21"
  - model_name: claude
    litellm_params:
      model: anthropic/claude-3-5-sonnet-20241022
      api_key: sk-ant-written-here
router_settings:
  routing_strategy: latency-based-routing
  num_retries: 2
  timeout: 30
  fallbacks: [{"gpt-4o": ["claude"]}]
general_settings:
  master_key: os.environ/LITELLM_MASTER_KEY
`);
    expect(dialect).toBe('LiteLLM config.yaml');
    expect(warnings).toEqual([]);
    expect(content).toEqual({
      endpoints: {
        'gpt-4o': { provider: 'openai', models: ['gpt-4o'], api_key_env: 'OPENAI_API_KEY', rate_limit: { rpm: 100, tpm: 20000 } },
        'gpt-4o-2': {
          provider: 'azure-openai',
          models: ['my-gpt4o'],
          aliases: { 'gpt-4o': 'my-gpt4o' },
          base_url: '${AZURE_API_BASE}',
          api_key_env: 'AZURE_API_KEY',
          options: { api_version: '2024-10-21' },
        },
        claude: { provider: 'anthropic', models: ['claude-3-5-sonnet-20241022'], aliases: { claude: 'claude-3-5-sonnet-20241022' }, api_key: 'sk-ant-written-here' },
      },
      llm: {
        routing: { load_balance: 'latency', max_attempts: 3 },
        timeouts: { total_ms: 30_000 },
        models: { 'gpt-4o': { fallbacks: ['claude'] } },
      },
      auth: { keys: [{ name: 'master_key', key_env: 'LITELLM_MASTER_KEY', admin: true }] },
    });
  });

  it('takes a master_key written as is for the gateway key, warning without repeating it', () => {
    const { content, warnings } = translate('model_list: []\ngeneral_settings: { master_key: sk-1234 }');
    expect(content.auth).toEqual({ keys: [{ name: 'master_key', key: 'sk-1234', admin: true }] });
    expect(warnings).toEqual(['general_settings.master_key holds the key itself in the file: write os.environ/<VARIABLE> to keep it out']);
  });

  it("declares a deployment's model_info capabilities on its endpoint", () => {
    const { content, warnings } = translate(`
model_list:
  - model_name: house-vlm
    litellm_params: { model: hosted_vllm/house-vlm, api_base: http://gpu:8000/v1 }
    model_info: { supports_function_calling: true, supports_vision: true, supports_reasoning: false, mode: chat }
  - model_name: house-embed
    litellm_params: { model: hosted_vllm/house-embed, api_base: http://gpu:8000/v1 }
    model_info: { mode: embedding }
`);
    expect(content.endpoints).toMatchObject({ 'house-vlm': { capabilities: ['tools', 'vision'] }, 'house-embed': { capabilities: ['embeddings'] } });
    expect(warnings).toEqual([]);
  });

  it('names every setting it does not apply in one warning', () => {
    const { warnings } = translate(`
model_list:
  - model_name: m
    model_info: { id: 1 }
    litellm_params: { model: openai/m, temperature: 0.1 }
litellm_settings: { drop_params: true }
router_settings: { routing_strategy: usage-based-routing-v2, redis_host: r }
general_settings: { master_key: os.environ/MASTER, database_url: postgres://x }
environment_variables: { A: b }
`);
    expect(warnings).toEqual([
      'LiteLLM settings nachos has no equivalent for: litellm_settings, environment_variables, model_list[0].litellm_params.temperature, model_list[0].model_info.id, router_settings.routing_strategy = usage-based-routing-v2, router_settings.redis_host, general_settings.database_url',
    ]);
  });

  it.each([
    ['model_list:\n  - model_name: x\n    litellm_params: { model: cohere/command-r }', /LiteLLM config\.yaml setting model_list\[0\]\.litellm_params\.model names provider "cohere", which nachos has no plugin for/],
    ['model_list:\n  - litellm_params: { model: openai/x }', /setting model_list\[0\]\.model_name is required/],
  ])('stops on what it cannot translate, naming the key: %s', (text, message) => {
    expect(() => translate(text)).toThrow(message);
  });
});
