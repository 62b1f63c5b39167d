import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadNachosConfig } from '@nachos/common';
import { defineProviderPlugin, type ProviderPlugin } from '@nachos/plugin-sdk';
import { collectEndpoints } from './collect-endpoints.js';

const plugin = (id: string, extra: Partial<ProviderPlugin> = {}) =>
  defineProviderPlugin({ id, configSchema: {}, catalogue: [], createProvider: () => ({ chat: async function* () {} }), ...extra });

const plugins = new Map<string, ProviderPlugin>([
  ['openai', plugin('openai', { defaultBaseUrl: 'https://api.openai.com/v1', apiKeyEnv: 'OPENAI_API_KEY', requiresApiKey: true })],
  ['google', plugin('google', { defaultBaseUrl: 'https://g/v1beta', apiKeyEnv: ['GOOGLE_API_KEY', 'GEMINI_API_KEY'], requiresApiKey: true })],
  ['ollama', plugin('ollama', { defaultBaseUrl: 'http://127.0.0.1:11434', baseUrlEnv: 'OLLAMA_HOST' })],
  ['openai-compatible', plugin('openai-compatible')],
  ['mock', plugin('mock', { defaultBaseUrl: 'mock://local' })],
]);

function config(toml = '', env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'nachos-endpoints-'));
  writeFileSync(join(dir, 'nachos.toml'), toml);
  return loadNachosConfig(env, dir);
}

describe('collectEndpoints', () => {
  it('falls back to the mock provider when nothing is configured', () => {
    const collected = collectEndpoints(config(), {}, plugins);
    expect(collected.usingMockDefault).toBe(true);
    expect(collected.endpoints.map((endpoint) => endpoint.id)).toEqual(['mock']);
  });

  it('turns providers on from their key variables, with base URL overrides', () => {
    const env = { OPENAI_API_KEY: 'sk-a', OPENAI_BASE_URL: 'http://proxy/v1', GEMINI_API_KEY: 'g-key', OLLAMA_HOST: '10.0.0.5:11434' };
    const { endpoints } = collectEndpoints(config('', env), env, plugins);
    expect(endpoints.map((endpoint) => [endpoint.id, endpoint.baseUrl, endpoint.apiKey?.reveal()])).toEqual([
      ['openai', 'http://proxy/v1', 'sk-a'],
      ['google', 'https://g/v1beta', 'g-key'],
      ['ollama', 'http://10.0.0.5:11434', undefined],
    ]);
  });

  it('reads LLM_PROXY_ENDPOINT_<NAME>_* endpoints', () => {
    const env = {
      LLM_PROXY_ENDPOINT_MY_BOX_URL: 'http://box:1234/v1',
      LLM_PROXY_ENDPOINT_MY_BOX_KEY: 'sk-box',
      LLM_PROXY_ENDPOINT_MY_BOX_MODELS: 'a, b',
    };
    const { endpoints } = collectEndpoints(config('', env), env, plugins);
    expect(endpoints).toHaveLength(1);
    expect(endpoints[0]).toMatchObject({ id: 'my-box', provider: 'openai-compatible', baseUrl: 'http://box:1234/v1', models: ['a', 'b'], source: 'env' });
    expect(endpoints[0]?.apiKey?.reveal()).toBe('sk-box');
    expect(endpoints[0]?.rateLimit).toBeUndefined();
  });

  it("reads an environment endpoint's rate limit from _RPM and _TPM, and refuses one that is not a count", () => {
    const env = { LLM_PROXY_ENDPOINT_LIMITED_URL: 'http://limited/v1', LLM_PROXY_ENDPOINT_LIMITED_RPM: '30', LLM_PROXY_ENDPOINT_LIMITED_TPM: '40000' };
    expect(collectEndpoints(config('', env), env, plugins).endpoints[0]?.rateLimit).toStrictEqual({ rpm: 30, tpm: 40_000 });
    const wrong = { LLM_PROXY_ENDPOINT_LIMITED_URL: 'http://limited/v1', LLM_PROXY_ENDPOINT_LIMITED_RPM: '0' };
    expect(() => collectEndpoints(config('', wrong), wrong, plugins)).toThrow('LLM_PROXY_ENDPOINT_LIMITED_RPM must be a whole number of at least 1');
  });

  it("reads an environment endpoint's declared capabilities from _CAPABILITIES, and refuses a name it does not know", () => {
    const env = { LLM_PROXY_ENDPOINT_BOX_URL: 'http://box/v1', LLM_PROXY_ENDPOINT_BOX_CAPABILITIES: 'tools, vision' };
    expect(collectEndpoints(config('', env), env, plugins).endpoints[0]?.capabilities).toStrictEqual({ tools: true, vision: true });
    const wrong = { LLM_PROXY_ENDPOINT_BOX_URL: 'http://box/v1', LLM_PROXY_ENDPOINT_BOX_CAPABILITIES: 'tools,telepathy' };
    expect(() => collectEndpoints(config('', wrong), wrong, plugins)).toThrow("LLM_PROXY_ENDPOINT_BOX_CAPABILITIES may list only tools, vision, reasoning, embeddings, not 'telepathy'");
  });

  it('stops with a message naming the variable when a configured provider has no key', () => {
    const run = () => collectEndpoints(config('[llm]\nprovider = "openai"\n'), {}, plugins);
    expect(run).toThrow(/\[llm\] provider uses provider "openai", but OPENAI_API_KEY \(or OPENAI_API_KEY_FILE\) is not set/);
    const endpoint = () => collectEndpoints(config('[endpoints.x]\nprovider = "openai"\napi_key_env = "X_KEY"\n'), {}, plugins);
    expect(endpoint).toThrow(/X_KEY \(or X_KEY_FILE\) is not set/);
  });

  it('names an unknown provider and the loaded ones', () => {
    expect(() => collectEndpoints(config('[endpoints.x]\nprovider = "nope"\nbase_url = "http://a/v1"\n'), {}, plugins)).toThrow(
      /endpoints\.x\.provider names provider "nope", but no such plugin is loaded/,
    );
  });
});
