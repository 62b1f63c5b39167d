import * as grpc from '@grpc/grpc-js';
import { Secret } from '@nachos/plugin-sdk';
import {
  ALLOWED_MODELS_METADATA_KEY,
  CLIENT_HEADERS_METADATA_KEY,
  LlmProxyServiceDefinition,
  PROVIDER_KEY_METADATA_KEY,
  type LlmProxyImplementation,
} from '@nachos/proto';
import type { RequestScope } from '../policy/request-scope.js';
import { UsageMeter } from '../usage/usage-meter.js';
import { LlmProxyClient } from './llm-proxy-client.js';

/** A real gRPC server standing in for llm-proxy: it records the metadata of each call and lists three models. */
async function startFakeLlmProxy(): Promise<{ address: string; calls: grpc.Metadata[]; stop: () => void }> {
  const calls: grpc.Metadata[] = [];
  const server = new grpc.Server();
  const implementation = {
    chat: (call: grpc.ServerWritableStream<unknown, unknown>) => {
      calls.push(call.metadata);
      call.end();
    },
    listModels: (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      calls.push(call.metadata);
      const model = (id: string, provider: string, upstreamId: string) => ({ id, provider, endpoint: provider, upstreamId, capabilities: {}, created: 0n, ownedBy: provider, source: 'config' });
      callback(null, { models: [model('gpt-4o', 'openai', 'gpt-4o'), model('fast', 'groq', 'llama-3.1-8b'), model('claude-sonnet', 'anthropic', 'claude-sonnet-4')] });
    },
    embed: (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      calls.push(call.metadata);
      callback(null, { model: 'e', embeddings: [], inputTokens: 0, provider: 'p', endpoint: 'e' });
    },
  } as unknown as LlmProxyImplementation;
  server.addService(LlmProxyServiceDefinition, implementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return { address: `127.0.0.1:${port}`, calls, stop: () => server.forceShutdown() };
}

function scope(overrides: Partial<RequestScope['caller']> = {}, forwardedHeaders: Record<string, string> = {}): RequestScope {
  const meter = new UsageMeter(
    { requestId: 'r', keyName: 'team-a', user: undefined, protocol: 'openai', path: '/', requestedModel: undefined, isStream: false, estimatedInputTokens: 0 },
    { streamOpened: () => {}, streamClosed: () => {} },
  );
  return { caller: { keyName: 'team-a', models: undefined, limits: {}, keyHeader: 'authorization', providerKey: undefined, ...overrides }, forwardedHeaders, meter };
}

describe('LlmProxyClient caller metadata', () => {
  let fake: Awaited<ReturnType<typeof startFakeLlmProxy>>;
  let client: LlmProxyClient;
  const context = (scope?: RequestScope) => ({ requestId: 'req-9', signal: new AbortController().signal, scope });

  beforeAll(async () => {
    fake = await startFakeLlmProxy();
    client = new LlmProxyClient(fake.address);
  });

  afterAll(() => {
    client.close();
    fake.stop();
  });

  it('sends only the request id outside an admitted request', async () => {
    await client.listModels(context());
    const metadata = fake.calls.at(-1) as grpc.Metadata;
    expect(metadata.get('x-request-id')).toEqual(['req-9']);
    for (const key of [ALLOWED_MODELS_METADATA_KEY, PROVIDER_KEY_METADATA_KEY, CLIENT_HEADERS_METADATA_KEY]) expect(metadata.get(key)).toEqual([]);
  });

  it('sends the allowed models, the caller’s provider key and forwarded headers with every call', async () => {
    const admitted = scope({ models: ['gpt-4o*', 'groq/*'], providerKey: new Secret('sk-byok-canary') }, { 'x-trace-id': 't-1', 'x-note': 'café' });
    for await (const event of client.chat({ model: 'gpt-4o', messages: [], sampling: {}, stream: true }, context(admitted))) void event;
    await client.embed({ model: 'e', input: ['x'] }, context(admitted));
    for (const metadata of fake.calls.slice(-2)) {
      expect(metadata.get(ALLOWED_MODELS_METADATA_KEY)).toEqual(['gpt-4o*,groq/*']);
      expect(metadata.get(PROVIDER_KEY_METADATA_KEY)).toEqual(['sk-byok-canary']);
      expect(JSON.parse(metadata.get(CLIENT_HEADERS_METADATA_KEY)[0] as string)).toEqual({ 'x-trace-id': 't-1', 'x-note': 'café' });
    }
  });

  it('lists only the models a key may request by their listed names', async () => {
    const models = await client.listModels(context(scope({ models: ['gpt-4o*', 'fa*', 'groq/*'] })));
    expect(models.map((model) => model.id)).toEqual(['gpt-4o', 'fast']);
    const byProvider = await client.listModels(context(scope({ models: ['anthropic/*'] })));
    expect(byProvider).toEqual([]);
    const all = await client.listModels(context(scope()));
    expect(all).toHaveLength(3);
    expect(fake.calls.at(-1)?.get(ALLOWED_MODELS_METADATA_KEY)).toEqual([]);
  });
});
