import type * as grpc from '@grpc/grpc-js';
import { create } from '@bufbuild/protobuf';
import type { Logger } from '@nachos/common';
import { ProviderError } from '@nachos/plugin-sdk';
import {
  DeleteEndpointResponseSchema,
  fromProtoPutEndpointRequest,
  ListEndpointsResponseSchema,
  PutEndpointResponseSchema,
  toGrpcStatus,
  toProtoRegistryEndpoint,
  type DeleteEndpointRequest,
  type DeleteEndpointResponse,
  type ListEndpointsRequest,
  type ListEndpointsResponse,
  type PutEndpointRequest,
  type PutEndpointResponse,
} from '@nachos/proto';
import type { EndpointRegistry } from '../registry/endpoint-registry.js';

/**
 * The registry's three calls. The gateway has checked the admin key before calling; like every other call
 * here, these trust the internal network. Failures keep their kind (a refused endpoint is
 * `invalid_request`, a store that cannot be written `unavailable`); anything unexpected is logged and
 * answered as internal.
 */
export function registryHandlers(registry: EndpointRegistry, logger: Logger) {
  const reply = <Response>(callback: grpc.sendUnaryData<Response>, work: () => Promise<Response>) => {
    work().then(
      (response) => callback(null, response),
      (error: unknown) => {
        if (!ProviderError.isInstance(error)) logger.error('registry call failed', { error: (error as Error)?.stack ?? String(error) });
        callback(toGrpcStatus(error));
      },
    );
  };
  return {
    listEndpoints: (_call: grpc.ServerUnaryCall<ListEndpointsRequest, ListEndpointsResponse>, callback: grpc.sendUnaryData<ListEndpointsResponse>) =>
      reply(callback, async () => create(ListEndpointsResponseSchema, { endpoints: registry.list().map(toProtoRegistryEndpoint) })),
    putEndpoint: (call: grpc.ServerUnaryCall<PutEndpointRequest, PutEndpointResponse>, callback: grpc.sendUnaryData<PutEndpointResponse>) =>
      reply(callback, async () => create(PutEndpointResponseSchema, { endpoint: toProtoRegistryEndpoint(await registry.put(fromProtoPutEndpointRequest(call.request))) })),
    deleteEndpoint: (call: grpc.ServerUnaryCall<DeleteEndpointRequest, DeleteEndpointResponse>, callback: grpc.sendUnaryData<DeleteEndpointResponse>) =>
      reply(callback, async () => {
        await registry.remove(call.request.id);
        return create(DeleteEndpointResponseSchema, {});
      }),
  };
}
