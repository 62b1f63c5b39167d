import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { defineProviderPlugin } from '@nachos/plugin-sdk';
import type { ActiveEndpoint } from '../endpoints/active-endpoint.js';
import type { EndpointSource } from '../endpoints/endpoint-definition.js';
import { LiveEndpoints } from './live-endpoints.js';

const plugin = defineProviderPlugin({ id: 'openai-compatible', configSchema: {}, catalogue: [], createProvider: () => ({ chat: async function* () {} }) });

function endpoint(id: string, source: EndpointSource, model: string, dispatcher = new Agent()): ActiveEndpoint {
  return {
    definition: { id, provider: 'openai-compatible', baseUrl: `http://${id}/v1`, models: [model], weight: 1, headers: {}, options: {}, source },
    plugin,
    provider: { chat: async function* () {} },
    credentials: [{ name: 'default' }],
    dispatcher,
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

  it('tells whether an endpoint of any source carries an upstream call now', async () => {
    const held: ServerResponse[] = [];
    const upstream = createServer((_request, response) => held.push(response)).listen(0, '127.0.0.1');
    await once(upstream, 'listening');
    const origin = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    const [declared, added, discovered] = [new Agent(), new Agent(), new Agent()];
    const live = new LiveEndpoints([endpoint('declared', 'config', 'a', declared)], {}, '');
    live.setAdmin([endpoint('added', 'admin', 'b', added)]);
    live.setDiscovered([endpoint('found', 'auto-discovery', 'c', discovered)]);
    try {
      expect(live.upstreamCallRunning()).toBe(false);
      for (const dispatcher of [declared, added, discovered]) {
        const call = dispatcher.request({ origin, path: '/v1/chat/completions', method: 'POST', body: '{}' });
        while (held.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
        expect(live.upstreamCallRunning()).toBe(true);
        held.pop()?.end('{}');
        await (await call).body.text();
        expect(live.upstreamCallRunning()).toBe(false);
      }
    } finally {
      await Promise.all([declared, added, discovered].map((dispatcher) => dispatcher.close()));
      upstream.close();
    }
  });
});
