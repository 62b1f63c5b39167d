import { fromBinary, toBinary } from '@bufbuild/protobuf';
import { Secret } from '@nachos/plugin-sdk';
import { PutEndpointRequestSchema, RegistryEndpointSchema } from '../gen/nachos/llm/v1/llm_proxy_pb.js';
import {
  fromProtoPutEndpointRequest,
  fromProtoRegistryEndpoint,
  toProtoPutEndpointRequest,
  toProtoRegistryEndpoint,
  type RegistryEndpointView,
} from './registry-codec.js';

describe('registry codec', () => {
  it('keeps every field of a listed endpoint across the wire', () => {
    const view: RegistryEndpointView = {
      id: 'vllm-gpu-box',
      provider: 'vllm',
      baseUrl: 'http://gpu-box:8000/v1',
      models: ['qwen-2.5-72b'],
      weight: 2.5,
      source: 'auto-discovery',
      hasKey: true,
      headerNames: ['x-tenant'],
      explicitModels: true,
      rateLimit: { rpm: 600, tpm: 90_000 },
      connections: { open: 3, busy: 1 },
    };
    const wire = fromBinary(RegistryEndpointSchema, toBinary(RegistryEndpointSchema, toProtoRegistryEndpoint(view)));
    expect(fromProtoRegistryEndpoint(wire)).toStrictEqual(view);
    const unlimited = { ...view, rateLimit: { tpm: 90_000 } };
    expect(fromProtoRegistryEndpoint(fromBinary(RegistryEndpointSchema, toBinary(RegistryEndpointSchema, toProtoRegistryEndpoint(unlimited))))).toStrictEqual(unlimited);
  });

  it('carries an added endpoint with its key and options, and leaves what was not given absent', () => {
    const wire = (input: Parameters<typeof toProtoPutEndpointRequest>[0]) =>
      fromProtoPutEndpointRequest(fromBinary(PutEndpointRequestSchema, toBinary(PutEndpointRequestSchema, toProtoPutEndpointRequest(input))));
    const full = wire({
      id: 'box',
      provider: 'openai-compatible',
      baseUrl: 'http://box:1234/v1',
      apiKey: new Secret('sk-box'),
      models: ['a', 'b'],
      weight: 3,
      headers: { 'x-tenant': 't1' },
      options: { preset: 'groq', nested: { depth: 1 } },
      rateLimit: { rpm: 60 },
    });
    expect(full.apiKey?.reveal()).toBe('sk-box');
    expect(full).toMatchObject({ id: 'box', provider: 'openai-compatible', models: ['a', 'b'], weight: 3, headers: { 'x-tenant': 't1' }, options: { preset: 'groq', nested: { depth: 1 } } });
    expect(full.rateLimit).toStrictEqual({ rpm: 60 });
    expect(wire({ id: 'bare', baseUrl: 'http://bare/v1' })).toStrictEqual({ id: 'bare', baseUrl: 'http://bare/v1' });
  });
});
