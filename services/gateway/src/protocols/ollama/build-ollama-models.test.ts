import { readFileSync } from 'node:fs';
import type { ListedModel } from '@nachos/proto';
import { buildOllamaPsEntry, buildOllamaShow, buildOllamaTagsEntry, ollamaCapabilities } from './build-ollama-models.js';
import { findListedModel } from './ollama-model-name.js';

const FIXTURES = new URL('../../../../../test/fixtures/protocols/ollama/', import.meta.url);
const fixture = (name: string) => JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as { models: Array<Record<string, unknown>> };

const listed = (overrides: Partial<ListedModel>): ListedModel => ({
  id: 'gpt-4o',
  provider: 'openai',
  endpoint: 'openai',
  upstreamId: 'gpt-4o',
  capabilities: {},
  created: 1_700_000_000,
  ownedBy: 'openai',
  source: 'env',
  ...overrides,
});

describe('Ollama model listings', () => {
  const chat = listed({ contextLength: 128_000, capabilities: { tools: true, vision: true } });

  it('lists a model under its nachos id as both name and model, with every key a recorded entry has', () => {
    const entry = buildOllamaTagsEntry(chat);
    expect(entry).toMatchObject({ name: 'gpt-4o', model: 'gpt-4o', modified_at: '2023-11-14T22:13:20.000Z', size: 0 });
    expect(entry.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(entry.digest).toBe(buildOllamaTagsEntry(listed({})).digest);
    expect(entry.digest).not.toBe(buildOllamaTagsEntry(listed({ endpoint: 'azure' })).digest);
    const recorded = fixture('tags.response.json').models[0]!;
    for (const key of Object.keys(recorded)) expect(entry).toHaveProperty(key);
    for (const key of Object.keys(recorded.details as object)) expect(entry.details).toHaveProperty(key);
    expect(entry.details).toMatchObject({ family: 'openai', families: ['openai'], parent_model: '' });
  });

  it('shows the architecture, the context length under it, the basename and the capabilities clients configure from', () => {
    const shown = buildOllamaShow(chat);
    expect(shown.model_info).toEqual({ 'general.architecture': 'openai', 'general.basename': 'gpt-4o', 'openai.context_length': 128_000 });
    expect(shown.capabilities).toEqual(['completion', 'tools', 'vision']);
    expect(shown).toMatchObject({ details: { family: 'openai' }, modified_at: '2023-11-14T22:13:20.000Z' });
    expect(buildOllamaShow(listed({})).model_info).toEqual({ 'general.architecture': 'openai', 'general.basename': 'gpt-4o' });
  });

  it('names capabilities as Ollama does', () => {
    expect(ollamaCapabilities(listed({ capabilities: { embeddings: true } }))).toEqual(['embedding']);
    expect(ollamaCapabilities(listed({ capabilities: { tools: true, reasoning: true } }))).toEqual(['completion', 'tools', 'thinking']);
    expect(ollamaCapabilities(listed({}))).toEqual(['completion']);
  });

  it('reports served models as loaded, with the keys a recorded /api/ps entry has', () => {
    const now = new Date('2026-01-01T00:00:00.000Z');
    const entry = buildOllamaPsEntry(chat, now);
    expect(entry).toMatchObject({ name: 'gpt-4o', model: 'gpt-4o', expires_at: '2026-01-02T00:00:00.000Z', context_length: 128_000 });
    for (const key of Object.keys(fixture('ps.response.json').models[0]!)) expect(entry).toHaveProperty(key);
  });

  it('finds a listed model with or without the implicit :latest tag', () => {
    const models = [listed({ id: 'mock-1' }), listed({ id: 'qwen3:latest' })];
    expect(findListedModel(models, 'mock-1')?.id).toBe('mock-1');
    expect(findListedModel(models, 'mock-1:latest')?.id).toBe('mock-1');
    expect(findListedModel(models, 'qwen3:latest')?.id).toBe('qwen3:latest');
    expect(findListedModel(models, 'qwen3')?.id).toBe('qwen3:latest');
    expect(findListedModel(models, 'mock-1:8b')).toBeUndefined();
  });
});
