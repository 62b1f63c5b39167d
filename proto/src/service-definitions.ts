import { Health } from './gen/grpc/health/v1/health_pb.js';
import { LlmProxy } from './gen/nachos/llm/v1/llm_proxy_pb.js';
import {
  createGrpcServiceDefinition,
  makeGrpcClientConstructor,
  type GrpcClient,
  type GrpcServiceImplementation,
  type ServiceMethods,
} from './grpc-service-definition.js';

/**
 * The two services llm-proxy serves, ready for `server.addService(definition, implementation)` and for
 * `new LlmProxyClient(address, credentials)` in the gateway. Built once at import: descriptors are static.
 */

export type LlmProxyMethods = ServiceMethods<typeof LlmProxy>;
export type HealthMethods = ServiceMethods<typeof Health>;

export const LlmProxyServiceDefinition = createGrpcServiceDefinition(LlmProxy);
export const HealthServiceDefinition = createGrpcServiceDefinition(Health);

/** The handlers llm-proxy implements: `chat` (server-streaming), `listModels`, `embed`. */
export type LlmProxyImplementation = GrpcServiceImplementation<LlmProxyMethods>;
/** The handlers of the standard health service: `check`, `watch` (server-streaming). */
export type HealthImplementation = GrpcServiceImplementation<HealthMethods>;

export const LlmProxyClient = makeGrpcClientConstructor(LlmProxy);
export type LlmProxyClient = GrpcClient<LlmProxyMethods>;

export const HealthClient = makeGrpcClientConstructor(Health);
export type HealthClient = GrpcClient<HealthMethods>;
