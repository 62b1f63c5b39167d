import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadNachosConfig } from './load-nachos-config.js';
import { parseInterval } from './gateway-policy-schema.js';

function withFile(content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'nachos-policy-'));
  writeFileSync(join(dir, 'nachos.toml'), content);
  return dir;
}

describe('gateway policy configuration', () => {
  it('defaults to open limits, the usual key headers and no reporters', () => {
    const config = loadNachosConfig({}, withFile(''));
    expect(config.auth).toEqual({
      enabled: null,
      header_names: ['authorization', 'x-api-key', 'api-key', 'x-goog-api-key'],
      provider_key_header: 'x-provider-api-key',
      user_header: 'x-user-id',
      skip_paths: ['/', '/health', '/ready', '/metrics', '/api/version'],
      keys: [],
      failed_attempts_per_minute: 30,
    });
    expect(config.rate_limit.per_key).toEqual({ requests_per_minute: 0, tokens_per_minute: 0, max_concurrent: 0 });
    expect(config.rate_limit.on_redis_failure).toBe('local');
    expect(config.usage).toEqual({ enabled: true, reporters: [], history_retention: '8d' });
    expect(config.header_rules).toEqual([]);
    expect(config.gateway.max_json_depth).toBe(64);
  });

  it('reads keys, limits, reporters and header rules as written', () => {
    const config = loadNachosConfig(
      { NACHOS_RATE_LIMIT_ON_REDIS_FAILURE: 'closed' },
      withFile(`
[auth]
skip_paths = ["/health"]
[[auth.keys]]
name = "team-a"
key_env = "TEAM_A_KEY"
models = ["gpt-4o*", "openai/*"]
rate_limit = { requests_per_minute = 10, max_concurrent = 2 }
[[auth.keys]]
name = "ci"
key_file = "/run/secrets/ci"
[rate_limit.per_key]
requests_per_minute = 60
[rate_limit.per_user]
input_token_limit = 1000
interval = "1h"
[[rate_limit.per_model]]
model = "claude-*"
tokens_per_minute = 5000
[[usage.reporters]]
name = "billing"
type = "webhook"
url = "http://billing.internal/usage"
timeout = "5s"
[[header_rules]]
providers = ["openai"]
forward = ["x-trace-id", "/^x-team-/"]
insert = { "x-origin" = "nachos" }
`),
    );
    expect(config.auth.keys).toEqual([
      { name: 'team-a', key_env: 'TEAM_A_KEY', models: ['gpt-4o*', 'openai/*'], rate_limit: { requests_per_minute: 10, max_concurrent: 2 } },
      { name: 'ci', key_file: '/run/secrets/ci' },
    ]);
    expect(config.rate_limit.per_key.requests_per_minute).toBe(60);
    expect(config.rate_limit.per_user).toEqual({ input_token_limit: 1000, interval: '1h' });
    expect(config.rate_limit.per_model).toEqual([{ model: 'claude-*', tokens_per_minute: 5000 }]);
    expect(config.rate_limit.on_redis_failure).toBe('closed');
    expect(config.usage.reporters[0]).toMatchObject({ name: 'billing', type: 'webhook', url: 'http://billing.internal/usage' });
    expect(config.header_rules[0]).toEqual({ providers: ['openai'], forward: ['x-trace-id', '/^x-team-/'], insert: { 'x-origin': 'nachos' } });
  });

  it.each([
    ['[[auth.keys]]\nname = "a"\n', /auth\.keys\[0\] needs exactly one of key_env, key_file and key/],
    ['[[auth.keys]]\nname = "a"\nkey_env = "A"\nkey = "sk-inline"\n', /auth\.keys\[0\] needs exactly one of key_env, key_file and key/],
    ['[[auth.keys]]\nname = "a"\nkey_env = "A"\n[[auth.keys]]\nname = "a"\nkey_env = "B"\n', /"a" is used twice/],
    ['[[auth.keys]]\nname = "a"\nkey_env = "A"\nadmin = true\n[[auth.keys]]\nname = "b"\nkey_env = "B"\nadmin = true\n', /auth\.keys\[1\]\.admin: only one key may open the admin API/],
    ['[[auth.keys]]\nname = "a"\nkey_env = "A"\nmodels = ["a,b"]\n', /no commas/],
    ['[[auth.keys]]\nname = "a"\nkey_env = "A"\nmodels = []\n', /auth\.keys\[0\]\.models must name at least one model pattern/],
    ['[rate_limit.per_user]\ninterval = "soon"\n', /rate_limit\.per_user\.interval must be a duration/],
    ['[[usage.reporters]]\nname = "x"\ntype = "webhook"\n', /usage\.reporters\[0\]\.url must be an http\(s\) URL/],
    ['[usage]\nhistory_retention = "forever"\n', /usage\.history_retention must be a duration/],
    ['[[usage.reporters]]\nname = "x"\ntype = "email"\n', /usage\.reporters\[0\]\.type must be one of: webhook, log/],
    ['[[header_rules]]\nforward = ["bad header"]\n', /neither a header name nor a \/regex\//],
    ['[auth]\nprovider_key_header = "bad header"\n', /auth\.provider_key_header: must be a header name/],
    ['[[header_rules]]\ninsert = { "x-a" = "1\\r\\nx-b: 2" }\n', /may not contain a line break/],
  ])('refuses %j', (content, message) => {
    expect(() => loadNachosConfig({}, withFile(content))).toThrow(message);
  });

  it('never prints the keys table in an error', () => {
    expect(() =>
      loadNachosConfig({}, withFile('[[auth.keys]]\nname = "a"\nkey_env = "A"\nsecret = "sk-canary-do-not-print"\n')),
    ).toThrow(expect.objectContaining({ message: expect.not.stringContaining('sk-canary-do-not-print') }));
  });

  it('parses intervals', () => {
    expect(parseInterval('90s')).toBe(90_000);
    expect(parseInterval('15m')).toBe(900_000);
    expect(parseInterval('1d')).toBe(86_400_000);
    expect(parseInterval(2_500)).toBe(2_500);
    expect(parseInterval('0s')).toBeUndefined();
    expect(parseInterval('1 hour')).toBeUndefined();
  });
});
