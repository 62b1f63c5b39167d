import * as grpc from '@grpc/grpc-js';
import { create } from '@bufbuild/protobuf';
import { ProviderError, type StreamEvent } from '@nachos/plugin-sdk';
import {
  HealthCheckResponse_ServingStatus,
  HealthCheckResponseSchema,
  HealthClient,
  HealthServiceDefinition,
  LlmProxyClient,
  LlmProxyServiceDefinition,
  REQUEST_ID_METADATA_KEY,
  fromGrpcError,
  fromProtoChatEvent,
  fromProtoChatRequest,
  toGrpcStatus,
  toProtoChatEvent,
  toProtoChatRequest,
  ChatEventBatchSchema,
  type ChatEventBatch,
  type HealthImplementation,
  type LlmProxyImplementation,
} from '../src/index.js';

/**
 * A real grpc-js server on 127.0.0.1, port 0, serving the adapter's definitions, and clients made with
 * the typed constructor helper: what llm-proxy and the gateway will do, minus the routing.
 */

const EVENTS: StreamEvent[] = [
  { type: 'start', id: 'response-1', model: 'mock-model', provider: 'mock', endpoint: 'mock-1', attempts: 1 },
  { type: 'text-delta', text: 'Hello' },
  { type: 'text-delta', text: ', world' },
  { type: 'finish', reason: 'stop' },
  { type: 'usage', usage: { inputTokens: 7, outputTokens: 3 } },
];

let server: grpc.Server;
let address: string;
const received: { model?: string; requestId?: string } = {};

const llmProxy: LlmProxyImplementation = {
  chat(call) {
    const request = fromProtoChatRequest(call.request);
    received.model = request.model;
    received.requestId = String(call.metadata.get(REQUEST_ID_METADATA_KEY)[0]);
    if (request.model === 'rate-limited') {
      call.emit('error', toGrpcStatus(new ProviderError({ kind: 'rate_limited', message: 'slow down', retryAfterMs: 1500 })));
      return;
    }
    // Two messages: the first batch carries two events, the second the rest.
    call.write(create(ChatEventBatchSchema, { events: EVENTS.slice(0, 2).map(toProtoChatEvent) }));
    call.write(create(ChatEventBatchSchema, { events: EVENTS.slice(2).map(toProtoChatEvent) }));
    call.end();
  },
  listModels(_call, callback) {
    callback({ code: grpc.status.UNIMPLEMENTED, details: 'not in this test' });
  },
  embed(_call, callback) {
    callback({ code: grpc.status.UNIMPLEMENTED, details: 'not in this test' });
  },
  listEndpoints(_call, callback) {
    callback({ code: grpc.status.UNIMPLEMENTED, details: 'not in this test' });
  },
  putEndpoint(_call, callback) {
    callback({ code: grpc.status.UNIMPLEMENTED, details: 'not in this test' });
  },
  deleteEndpoint(_call, callback) {
    callback({ code: grpc.status.UNIMPLEMENTED, details: 'not in this test' });
  },
  listCooldowns(_call, callback) {
    callback({ code: grpc.status.UNIMPLEMENTED, details: 'not in this test' });
  },
};

const health: HealthImplementation = {
  check(call, callback) {
    if (call.request.service === '' || call.request.service === 'nachos.llm.v1.LlmProxy') {
      callback(null, create(HealthCheckResponseSchema, { status: HealthCheckResponse_ServingStatus.SERVING }));
    } else {
      callback({ code: grpc.status.NOT_FOUND, details: `unknown service ${call.request.service}` });
    }
  },
  watch(call) {
    call.end();
  },
};

beforeAll(async () => {
  server = new grpc.Server();
  server.addService(LlmProxyServiceDefinition, llmProxy);
  server.addService(HealthServiceDefinition, health);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, boundPort) =>
      error ? reject(error) : resolve(boundPort),
    );
  });
  address = `127.0.0.1:${port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
});

function collect(stream: grpc.ClientReadableStream<ChatEventBatch>): Promise<StreamEvent[]> {
  return new Promise((resolve, reject) => {
    const events: StreamEvent[] = [];
    stream.on('data', (batch: ChatEventBatch) => events.push(...batch.events.map(fromProtoChatEvent)));
    stream.on('error', reject);
    stream.on('end', () => resolve(events));
  });
}

describe('grpc-js service definitions', () => {
  it('streams chat events from server to client', async () => {
    const client = new LlmProxyClient(address, grpc.credentials.createInsecure());
    try {
      const metadata = new grpc.Metadata();
      metadata.set(REQUEST_ID_METADATA_KEY, 'request-42');
      const request = toProtoChatRequest({
        model: 'mock-model',
        messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
        sampling: { maxTokens: 16 },
        stream: true,
      });
      const events = await collect(client.chat(request, metadata, { deadline: Date.now() + 5_000 }));
      expect(events).toStrictEqual(EVENTS);
      expect(received).toEqual({ model: 'mock-model', requestId: 'request-42' });
    } finally {
      client.close();
    }
  });

  it('carries a ProviderError through the status and trailers', async () => {
    const client = new LlmProxyClient(address, grpc.credentials.createInsecure());
    try {
      const request = toProtoChatRequest({ model: 'rate-limited', messages: [], sampling: {}, stream: true });
      const failure = await collect(client.chat(request)).then(
        () => undefined,
        (error: grpc.ServiceError) => error,
      );
      expect(failure?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
      const error = fromGrpcError(failure as grpc.ServiceError);
      expect(error).toMatchObject({ kind: 'rate_limited', message: 'slow down', retryAfterMs: 1500 });
    } finally {
      client.close();
    }
  });

  it('answers a health check', async () => {
    const client = new HealthClient(address, grpc.credentials.createInsecure());
    try {
      const check = (service: string) =>
        new Promise<HealthCheckResponse_ServingStatus>((resolve, reject) => {
          client.check({ service }, (error, response) => (error || !response ? reject(error) : resolve(response.status)));
        });
      await expect(check('')).resolves.toBe(HealthCheckResponse_ServingStatus.SERVING);
      await expect(check('nachos.llm.v1.LlmProxy')).resolves.toBe(HealthCheckResponse_ServingStatus.SERVING);
      await expect(check('no.such.Service')).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
    } finally {
      client.close();
    }
  });
});
