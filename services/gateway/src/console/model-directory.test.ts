import type { ListedModel, RegistryEndpointView } from '@nachos/proto';
import { ModelDirectory } from './model-directory.js';

const listed = (id: string, endpoint: string, provider: string, extra: Partial<ListedModel> = {}): ListedModel => ({
  id,
  provider,
  endpoint,
  upstreamId: id,
  capabilities: { tools: true },
  created: 0,
  ownedBy: provider,
  source: 'config',
  ...extra,
});

const endpoint = (id: string, provider: string, models: string[], explicitModels: boolean): RegistryEndpointView => ({
  id,
  provider,
  baseUrl: `https://${id}.example/v1`,
  models,
  weight: 1,
  source: 'config',
  hasKey: true,
  headerNames: [],
  explicitModels,
  rateLimit: {},
  connections: { open: 0, busy: 0 },
});

const directory = new ModelDirectory(
  [listed('gpt-4o', 'openai-eu', 'openai', { contextLength: 128_000 }), listed('llama-3', 'lab', 'openai-compatible')],
  [endpoint('openai-eu', 'openai', ['gpt-4o'], false), endpoint('openai-us', 'openai', ['gpt-4o'], false), endpoint('lab', 'openai-compatible', ['llama-3'], true)],
  { defaultModel: 'fast', fallbackOrder: ['lab:llama-3'], models: { fast: { rename: 'gpt-4o' }, 'gpt-4o': { fallbacks: ['openai-us/gpt-4o-mini'] } } },
);

describe('ModelDirectory', () => {
  it('lists every endpoint serving an id (the listing names only the first), renames and the default', () => {
    const entries = directory.entries();
    expect(entries.find((entry) => entry.name === 'gpt-4o')).toMatchObject({
      kind: 'model',
      routes: [{ endpoint: 'openai-eu' }, { endpoint: 'openai-us' }],
      fallbacks: ['openai-us/gpt-4o-mini'],
      context_length: 128_000,
      capabilities: { tools: true },
    });
    expect(entries.find((entry) => entry.name === 'fast')).toMatchObject({ kind: 'rename', target: 'gpt-4o', routes: [{ endpoint: 'openai-eu' }, { endpoint: 'openai-us' }] });
    expect(entries.find((entry) => entry.name === 'default')).toMatchObject({ kind: 'default', target: 'fast' });
    expect(entries.find((entry) => entry.name === 'llama-3')?.fallbacks).toEqual(['lab:llama-3']);
  });

  it('explains a name step by step: the configured default and renames, then what llm-proxy routes it to', () => {
    const both = [listed('gpt-4o', 'openai-eu', 'openai'), listed('gpt-4o', 'openai-us', 'openai')];
    const viaDefault = directory.resolve('', both);
    expect(viaDefault).toMatchObject({ found: true, routes: [{ endpoint: 'openai-eu' }, { endpoint: 'openai-us' }], fallbacks: ['openai-us/gpt-4o-mini'] });
    expect(viaDefault.steps.join('\n')).toMatch(/default model, "fast"[\s\S]*renamed to "gpt-4o"[\s\S]*model id served by 2 endpoint/);

    const prefixed = directory.resolve('openai/gpt-4o-mini', [listed('openai/gpt-4o-mini', 'openai-eu', 'openai', { upstreamId: 'gpt-4o-mini' })]);
    expect(prefixed).toMatchObject({ found: true, routes: [{ endpoint: 'openai-eu', upstream_id: 'gpt-4o-mini' }] });
    expect(prefixed.steps[0]).toContain('prefix');

    const nowhere = directory.resolve('no-such-model', []);
    expect(nowhere).toMatchObject({ found: false, routes: [] });
    expect(nowhere.steps.at(-1)).toContain('No endpoint takes "no-such-model"');
  });
});
