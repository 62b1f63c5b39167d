/**
 * @nachos/proto: the gRPC seam between the gateway and llm-proxy. Generated messages and services, the
 * grpc-js definitions built from them, the codec to and from the canonical types of @nachos/plugin-sdk,
 * and the one table between error kinds and gRPC status codes.
 */
export * from './gen/nachos/llm/v1/llm_proxy_pb.js';
export * from './gen/grpc/health/v1/health_pb.js';
export * from './grpc-service-definition.js';
export * from './service-definitions.js';
export * from './codec/index.js';
export * from './grpc-error.js';
export * from './metadata-keys.js';
export * from './mux-status.js';
export * from './combined-frames.js';
export * from './mux-frames.js';
export * from './mux-events.js';
export * from './mux-requests.js';
export * from './seam-limits.js';
