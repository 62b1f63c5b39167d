import { Agent } from 'undici';
import { defineProviderPlugin } from '@nachos/plugin-sdk';
import type { ActiveEndpoint } from '../endpoints/active-endpoint.js';
import type { EndpointSource } from '../endpoints/endpoint-definition.js';
import { LiveEndpoints } from './live-endpoints.js';

const plugin = defineProviderPlugin({ id: 'openai-compatible', configSchema: {}, catalogue: [], createProvider: () => ({ chat: async function* () {} }) });

function endpoint(id: string, source: EndpointSource, model: string): ActiveEndpoint {
  return {
    definition: { id, provider: 'openai-compatible', baseUrl: `http://${id}/v1`, models: [model], weight: 1, headers: {}, options: {}, source },
    plugin,
    provider: { chat: async function* () {} },
    credentials: [{ name: 'default' }],
    dispatcher: new Agent(),
    models: [{ id: model }],
  };
}

describe('LiveEndpoints', () => {
  it('replaces the table on each change, so a table already handed out stays as it was', () => {
    const live = new LiveEndpoints([endpoint('declared', 'config', 'a')], {}, '');
    const before = live.table();
    live.setAdmin([endpoint('added', 'admin', 'b')]);
    expect(before.endpoints.map((entry) => entry.definition.id)).toEqual(['declared']);
    expect(live.table().endpoints.map((entry) => entry.definition.id)).toEqual(['declared', 'added']);
    expect(live.table().resolve('b')[0]?.endpoint.definition.source).toBe('admin');
  });

  it('lets the stand-in mock step aside once a runtime source brings an endpoint, and back when it goes', () => {
    const live = new LiveEndpoints([endpoint('mock', 'default', 'mock-1')], {}, '');
    live.setDiscovered([endpoint('ollama', 'auto-discovery', 'llama')]);
    expect(live.table().endpoints.map((entry) => entry.definition.id)).toEqual(['ollama']);
    live.setDiscovered([]);
    expect(live.table().endpoints.map((entry) => entry.definition.id)).toEqual(['mock']);
  });

  it('never lets a discovered endpoint shadow a declared or added one with the same id', () => {
    const live = new LiveEndpoints([endpoint('ollama', 'env', 'a')], {}, '');
    live.setDiscovered([endpoint('ollama', 'auto-discovery', 'b'), endpoint('vllm', 'auto-discovery', 'c')]);
    expect(live.table().endpoints.map((entry) => [entry.definition.id, entry.definition.source])).toEqual([
      ['ollama', 'env'],
      ['vllm', 'auto-discovery'],
    ]);
  });
});
