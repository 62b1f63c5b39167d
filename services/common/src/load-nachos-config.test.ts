import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadNachosConfig } from './load-nachos-config.js';

function configDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'nachos-config-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

describe('loadNachosConfig', () => {
  it('uses defaults when there is no file', () => {
    const config = loadNachosConfig({}, configDir({}));
    expect(config.gateway.port).toBe(8080);
    expect(config.llm_proxy.grpc_port).toBe(50051);
    expect(config.gateway.llm_proxy_url).toBe('127.0.0.1:50051');
    expect(config.llm.max_tokens).toBeNull();
    expect(config.source_file).toBe('');
  });

  it('reads nachos.toml from the working directory, with the environment winning', () => {
    const dir = configDir({
      'nachos.toml': `[gateway]\nport = 9000\n[llm]\nmax_tokens = 512\ntemperature = 0.2\n[endpoints.local]\nprovider = "openai"\nbase_url = "http://127.0.0.1:1234/v1"\nmodels = ["m1"]\n`,
    });
    const config = loadNachosConfig({ PORT: '9100' }, dir);
    expect(config.gateway.port).toBe(9100);
    expect(config.llm.max_tokens).toBe(512);
    expect(config.llm.temperature).toBe(0.2);
    expect(config.endpoints.local).toEqual({ provider: 'openai', base_url: 'http://127.0.0.1:1234/v1', models: ['m1'] });
    expect(Object.isFrozen(config.endpoints.local)).toBe(true);
  });

  it('reads YAML and JSON named by NACHOS_CONFIG', () => {
    const dir = configDir({ 'a.yaml': 'llm:\n  model: mock-1\n', 'b.json': '{"llm": {"model": "gpt-4o"}}' });
    expect(loadNachosConfig({ NACHOS_CONFIG: 'a.yaml' }, dir).llm.model).toBe('mock-1');
    expect(loadNachosConfig({ NACHOS_CONFIG: join(dir, 'b.json') }, dir).llm.model).toBe('gpt-4o');
  });

  it('replaces {{ env.NAME }} and ${NAME} references', () => {
    const dir = configDir({
      'nachos.toml': '[llm]\nmodel = "{{ env.MODEL }}"\nbase_url = "http://${HOST_NAME}:1/v1"\n',
    });
    const config = loadNachosConfig({ MODEL: 'gpt-5', HOST_NAME: 'box' }, dir);
    expect(config.llm.model).toBe('gpt-5');
    expect(config.llm.base_url).toBe('http://box:1/v1');
    expect(() => loadNachosConfig({}, dir)).toThrow(/llm\.model refers to environment variable MODEL/);
  });

  it('rejects unknown keys, naming them', () => {
    expect(() => loadNachosConfig({}, configDir({ 'nachos.toml': '[llm]\nmax_tokenz = 5\n' }))).toThrow(/llm\.max_tokenz/);
    expect(() =>
      loadNachosConfig({}, configDir({ 'nachos.toml': '[endpoints.x]\nbase_url = "http://a/v1"\nwieght = 2\n' })),
    ).toThrow(/endpoints\.x\.wieght is not a known setting/);
  });

  it('rejects bad values, naming the key', () => {
    expect(() => loadNachosConfig({ PORT: 'eighty' }, configDir({}))).toThrow(/gateway\.port/);
    expect(() =>
      loadNachosConfig({}, configDir({ 'nachos.toml': '[endpoints.x]\nbase_url = "ftp://a"\n' })),
    ).toThrow(/endpoints\.x\.base_url must be an http\(s\) URL/);
    expect(() =>
      loadNachosConfig({}, configDir({ 'nachos.toml': '[endpoints.x]\nbase_url = "http://a/v1"\ncapabilities = ["tools", "telepathy"]\n' })),
    ).toThrow(/endpoints\.x\.capabilities must be a list of: tools, vision, reasoning, embeddings/);
    expect(() =>
      loadNachosConfig({}, configDir({ 'nachos.toml': '[[llm.profiles]]\nname = "a"\nprovider = "openai"\n' })),
    ).toThrow(/llm\.profiles\[0\]\.api_key_env is required/);
  });

  it('fails clearly on a missing NACHOS_CONFIG file or unparsable content', () => {
    const dir = configDir({ 'bad.toml': '[llm\n' });
    expect(() => loadNachosConfig({ NACHOS_CONFIG: 'nope.toml' }, dir)).toThrow(/does not exist/);
    expect(() => loadNachosConfig({ NACHOS_CONFIG: 'bad.toml' }, dir)).toThrow(/not valid TOML/);
  });
});
