import { parse } from 'smol-toml';
import { translateConfig } from './translate-config.js';

/** Seed 004's comprehensive nexus.toml, as its document writes it. */
const SEED = `
[llm]
enabled = true
[llm.protocols.openai]
enabled = true
path = "/llm/openai"
[llm.protocols.anthropic]
enabled = true
path = "/llm/anthropic"
[llm.providers.openai]
type = "openai"
api_key = "{{ env.OPENAI_API_KEY }}"
forward_token = true
[llm.providers.openai.models.gpt-4]
[llm.providers.openai.models."gpt-3.5-turbo"]
[llm.providers.openai.models.smart]
rename = "gpt-4"
[llm.providers.openai.rate_limits.per_user]
input_token_limit = 100000
interval = "60s"
[llm.providers.anthropic]
type = "anthropic"
api_key = "{{ env.ANTHROPIC_API_KEY }}"
[llm.providers.anthropic.models."claude-3-5-sonnet-20241022"]
[llm.providers.anthropic.models.fast]
rename = "claude-3-haiku-20240307-v1:0"
[llm.providers.bedrock]
type = "bedrock"
region = "us-east-1"
[llm.providers.bedrock.models.claude]
rename = "anthropic.claude-3-sonnet-20240229-v1:0"
`;

const translate = (text: string) => translateConfig(parse(text) as Record<string, unknown>, 'nexus.toml');

describe('Nexus nexus.toml', () => {
  it('becomes canonical settings: one endpoint per provider serving its models, renames under the provider name', () => {
    const { dialect, content, warnings } = translate(SEED);
    expect(dialect).toBe('Nexus nexus.toml');
    expect(content).toEqual({
      gateway: { protocols: { openai: { enabled: true, path: '/llm/openai' }, anthropic: { enabled: true, path: '/llm/anthropic' } } },
      endpoints: {
        openai: { provider: 'openai', api_key_env: 'OPENAI_API_KEY', forward_token: true, models: ['gpt-4', 'gpt-3.5-turbo'] },
        anthropic: { provider: 'anthropic', api_key_env: 'ANTHROPIC_API_KEY', models: ['claude-3-5-sonnet-20241022', 'claude-3-haiku-20240307-v1:0'] },
        bedrock: { provider: 'bedrock', options: { region: 'us-east-1' }, models: ['anthropic.claude-3-sonnet-20240229-v1:0'] },
      },
      llm: {
        listed_names: 'endpoint/model',
        models: {
          'openai/smart': { rename: 'openai/gpt-4' },
          'anthropic/fast': { rename: 'anthropic/claude-3-haiku-20240307-v1:0' },
          'bedrock/claude': { rename: 'bedrock/anthropic.claude-3-sonnet-20240229-v1:0' },
        },
      },
      // Every name that reaches the provider counts against one per-user budget.
      rate_limit: {
        per_model: [
          {
            model: ['openai/*', 'openai:*', 'gpt-4', 'openai-gpt-4', 'gpt-3.5-turbo', 'openai-gpt-3.5-turbo'],
            per_user: { input_token_limit: 100000, interval: '60s' },
          },
        ],
      },
    });
    expect(warnings).toEqual([expect.stringMatching(/^rate_limits\.per_user without \[server\.client_identification\]: a user is the one a request names/)]);
  });

  it('keeps a literal api_key and a base_url, and reads the listen address', () => {
    const { content } = translate('[server]\nlisten_address = "127.0.0.1:8000"\n[llm.providers.local]\ntype = "openai"\napi_key = "sk-literal"\nbase_url = "http://127.0.0.1:9/v1"\n');
    expect(content).toEqual({
      gateway: { host: '127.0.0.1', port: 8000 },
      endpoints: { local: { provider: 'openai', api_key: 'sk-literal', base_url: 'http://127.0.0.1:9/v1', models: [] } },
      llm: { listed_names: 'endpoint/model' },
    });
  });

  it('serves a protocol at its path, and not at all when it or [llm] is disabled', () => {
    const { content, warnings } = translate('[llm.protocols.openai]\nenabled = false\n[llm.protocols.anthropic]\npath = "/claude/"\n');
    expect(content.gateway).toEqual({ protocols: { openai: { enabled: false }, anthropic: { enabled: true, path: '/claude' } } });
    expect(warnings).toEqual([]);
    const off = translate('[llm]\nenabled = false\n[llm.protocols.openai]\nenabled = true\n');
    expect(off.content.gateway).toEqual({ protocols: { openai: { enabled: false }, anthropic: { enabled: false } } });
    expect(off.warnings).toEqual(['llm.enabled = false: the OpenAI and Anthropic protocols are not served, the Ollama API (/api) still is']);
  });

  it('names per-user limits\' users by the client identification header', () => {
    const { content } = translate('[llm]\nenabled = true\n[server.client_identification]\nenabled = true\nclient_id.http_header = "x-client-id"\n');
    expect(content.auth).toEqual({ user_header: 'x-client-id' });
    expect(translate('[llm]\nenabled = true\n[server.client_identification]\nenabled = false\nclient_id.http_header = "x-client-id"\n').content.auth).toBeUndefined();
  });

  it.each([
    ['[llm]\nenabled = true\n[server.client_identification]\nenabled = true\nclient_id.jwt_claim = "sub"\n', /setting server\.client_identification\.client_id\.jwt_claim has no nachos equivalent/],
    ['[llm]\nenabled = true\n[server.client_identification]\nenabled = true\nclient_id.http_header = "x-client-id"\ngroup_id.http_header = "x-tier"\n', /setting server\.client_identification\.group_id has no nachos equivalent/],
    ['[mcp]\nenabled = true\n[llm]\nenabled = true\n', /Nexus nexus\.toml setting mcp has no nachos equivalent/],
    ['[llm.providers.x]\ntype = "cohere"\n', /setting llm\.providers\.x\.type must be one of openai, anthropic, google, bedrock/],
    ['[llm.providers.x]\ntype = "openai"\n[llm.providers.x.models.m]\nprice = 1\n', /setting llm\.providers\.x\.models\.m\.price has no nachos equivalent/],
    ['[llm.protocols.gemini]\nenabled = true\n', /setting llm\.protocols\.gemini is not a protocol nachos serves/],
    ['[llm.protocols.openai]\npath = "llm openai"\n', /setting llm\.protocols\.openai\.path must be a path such as "\/llm\/openai"/],
  ])('names an untranslatable key by its own name: %s', (text, message) => {
    expect(() => translate(text)).toThrow(message);
  });
});
