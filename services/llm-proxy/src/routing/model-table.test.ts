import { Agent } from 'undici';
import { defineProviderPlugin, ProviderError, type Provider } from '@nachos/plugin-sdk';
import type { ActiveEndpoint } from '../endpoints/active-endpoint.js';
import type { EndpointDefinition } from '../endpoints/endpoint-definition.js';
import { ModelTable } from './model-table.js';

const provider: Provider = { chat: async function* () {} };

function endpoint(id: string, pluginId: string, models: string[], explicit = false): ActiveEndpoint {
  const plugin = defineProviderPlugin({ id: pluginId, configSchema: {}, catalogue: [], createProvider: () => provider });
  const definition: EndpointDefinition = {
    id,
    provider: pluginId,
    baseUrl: 'http://127.0.0.1:1/v1',
    ...(explicit ? { models } : {}),
    weight: 1,
    headers: {},
    options: {},
    source: 'config',
  };
  return {
    definition,
    plugin,
    provider,
    credentials: [{ name: 'default' }],
    dispatcher: new Agent(),
    models: models.map((model) => ({ id: model, ...(model === 'gpt-4o' ? { aliases: ['4o'] } : {}) })),
  };
}

describe('ModelTable.resolve', () => {
  const openai = endpoint('openai', 'openai', ['gpt-4o', 'gpt-4o-mini']);
  const backup = endpoint('backup', 'openai-compatible', ['gpt-4o']);
  const lab = endpoint('lab', 'openai-compatible', ['llama-3'], true);
  const table = new ModelTable([openai, backup, lab], { fast: { rename: 'gpt-4o-mini' }, loop: { rename: 'loop2' }, loop2: { rename: 'loop' } }, 'gpt-4o');

  const resolved = (name: string) => table.resolve(name).map((route) => `${route.endpoint.definition.id}:${route.upstreamModel}`);

  it('finds exact ids and aliases on every endpoint serving them, in endpoint order', () => {
    expect(resolved('gpt-4o')).toEqual(['openai:gpt-4o', 'backup:gpt-4o']);
    expect(resolved('4o')).toEqual(['openai:gpt-4o', 'backup:gpt-4o']);
    expect(resolved('gpt-4o-mini')).toEqual(['openai:gpt-4o-mini']);
  });

  it('applies renames and the default model', () => {
    expect(resolved('fast')).toEqual(['openai:gpt-4o-mini']);
    expect(resolved('')).toEqual(['openai:gpt-4o', 'backup:gpt-4o']);
    expect(resolved('default')).toEqual(['openai:gpt-4o', 'backup:gpt-4o']);
    expect(() => table.resolve('loop')).toThrow(/cycle/);
  });

  it('understands provider/model, provider:model and provider-model', () => {
    expect(resolved('backup/gpt-4o')).toEqual(['backup:gpt-4o']);
    expect(resolved('openai:gpt-4o-mini')).toEqual(['openai:gpt-4o-mini']);
    expect(resolved('lab-llama-3')).toEqual(['lab:llama-3']);
    expect(resolved('openai-compatible/gpt-4o')).toEqual(['backup:gpt-4o']);
  });

  it('forwards an unlisted model to a named endpoint unless it declares an explicit list', () => {
    expect(resolved('openai/gpt-5-preview')).toEqual(['openai:gpt-5-preview']);
    expect(() => table.resolve('lab/mistral')).toThrow(ProviderError);
  });

  it('matches a dashed endpoint id whole before any split, and never lets its name reach another endpoint', () => {
    const labB = endpoint('lab-b', 'openai-compatible', ['llama-3', 'qwen3'], true);
    const auto = endpoint('ollama-auto', 'ollama', ['llama3.2']);
    const dashed = new ModelTable([lab, labB, auto], {}, '');
    const names = (name: string) => dashed.resolve(name).map((route) => `${route.endpoint.definition.id}:${route.upstreamModel}`);
    expect(names('lab-b/qwen3')).toEqual(['lab-b:qwen3']);
    expect(names('lab-b-llama-3')).toEqual(['lab-b:llama-3']);
    expect(names('lab/llama-3')).toEqual(['lab:llama-3']);
    expect(names('ollama-auto/llama3.2')).toEqual(['ollama-auto:llama3.2']);
    expect(() => dashed.resolve('lab-b/mistral')).toThrow(/does not exist/);
    expect(() => dashed.resolve('lab/qwen3')).toThrow(/does not exist/);
  });

  it('serves any name an endpoint\'s model pattern matches, after every named route', () => {
    const backend = { ...endpoint('vllm', 'openai-compatible', [], true), modelPatterns: ['*'] };
    backend.definition = { ...backend.definition, models: ['*'] };
    const catchAll = new ModelTable([openai, backend], {}, '');
    const names = (name: string) => catchAll.resolve(name).map((route) => `${route.endpoint.definition.id}:${route.upstreamModel}`);
    expect(names('gpt-4o')).toEqual(['openai:gpt-4o']);
    expect(names('qwen-coder')).toEqual(['vllm:qwen-coder']);
    expect(names('meta-llama/Llama-3.3-70B')).toEqual(['vllm:meta-llama/Llama-3.3-70B']);
    expect(names('vllm/qwen-coder')).toEqual(['vllm:qwen-coder']);
  });

  it('answers not_found for anything else', () => {
    const failure = (() => {
      try {
        table.resolve('no-such-model');
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(ProviderError.isInstance(failure) && failure.kind).toBe('not_found');
  });

  it('works the routes of a name out once and gives the same ones after', () => {
    const first = table.resolve('gpt-4o');
    expect(table.resolve('gpt-4o')).toBe(first);
    expect(table.resolve('backup/gpt-4o')).not.toBe(first);
  });

  it('answers a failing name anew each time, and right past the names it remembers', () => {
    expect(() => table.resolve('nothing-like-it')).toThrow(/does not exist/);
    expect(() => table.resolve('nothing-like-it')).toThrow(/does not exist/);
    for (let index = 0; index < 2_100; index += 1) expect(resolved(`openai/m-${index}`)).toEqual([`openai:m-${index}`]);
    expect(resolved('4o')).toEqual(['openai:gpt-4o', 'backup:gpt-4o']);
  });
});

describe('ModelTable names from provider families and [llm]', () => {
  const family = (id: string, pluginId: string, models: string[], extra: { names?: string[]; modelFamilies?: string[] }): ActiveEndpoint => {
    const base = endpoint(id, pluginId, models);
    return { ...base, plugin: defineProviderPlugin({ id: pluginId, configSchema: {}, catalogue: [], createProvider: () => provider, ...extra }) };
  };
  const anthropic = family('anthropic', 'anthropic', ['claude-sonnet-4-5'], { names: ['claude'], modelFamilies: ['claude-*'] });
  const google = family('google', 'google', ['gemini-2.5-flash'], { names: ['gemini'], modelFamilies: ['gemini-*'] });
  const table = new ModelTable([anthropic, google], { fast: { rename: 'gemini-2.5-flash' } }, 'claude-sonnet-4-20250514', { defaultProvider: 'anthropic' });
  const names = (name: string) => table.resolve(name).map((route) => `${route.endpoint.definition.id}:${route.upstreamModel}`);

  it('serves [llm] model on [llm] provider when no catalogue lists it, for a request without a model too', () => {
    expect(names('claude-sonnet-4-20250514')).toEqual(['anthropic:claude-sonnet-4-20250514']);
    expect(names('')).toEqual(['anthropic:claude-sonnet-4-20250514']);
  });

  it('takes a provider by its other names, and a model its family would name', () => {
    expect(names('gemini-gemini-2.5-flash')).toEqual(['google:gemini-2.5-flash']);
    expect(names('gemini/gemini-2.5-flash')).toEqual(['google:gemini-2.5-flash']);
    expect(names('gemini-3-pro-preview-11-2026')).toEqual(['google:gemini-3-pro-preview-11-2026']);
    expect(names('claude-opus-5')).toEqual(['anthropic:claude-opus-5']);
    expect(() => table.resolve('llama-3.3-70b')).toThrow(/does not exist/);
    expect(() => table.resolve('claude opus')).toThrow(/does not exist/);
  });

  it('forwards a family whose ids are paths, and nothing ill-formed', () => {
    const fireworks = family('fireworks', 'fireworks', [], { modelFamilies: ['accounts/fireworks/models/*'] });
    const paths = new ModelTable([anthropic, fireworks], {}, '');
    expect(paths.resolve('accounts/fireworks/models/qwen3-coder-480b').map((route) => `${route.endpoint.definition.id}:${route.upstreamModel}`)).toEqual([
      'fireworks:accounts/fireworks/models/qwen3-coder-480b',
    ]);
    expect(() => paths.resolve('accounts/fireworks/models//x')).toThrow(/does not exist/);
    expect(() => paths.resolve('accounts/other/models/x')).toThrow(/does not exist/);
  });

  it('keeps <provider>/<rename> on that provider', () => {
    expect(names('google/fast')).toEqual(['google:gemini-2.5-flash']);
    expect(names('gemini/fast')).toEqual(['google:gemini-2.5-flash']);
  });
});
