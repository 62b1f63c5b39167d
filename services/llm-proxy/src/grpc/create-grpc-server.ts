import * as grpc from '@grpc/grpc-js';
import type { Logger, ReplicaDirectory, SharedState } from '@nachos/common';
import { HealthServiceDefinition, MAX_SEAM_MESSAGE_BYTES } from '@nachos/proto';
import type { ChatDefaults } from '../chat-defaults.js';
import type { EndpointRegistry } from '../registry/endpoint-registry.js';
import type { ModelTable } from '../routing/model-table.js';
import type { Router } from '../routing/router.js';
import type { HealthState } from './health-service.js';
import { serveChat } from './serve-chat.js';
import { serveClearCooldown } from './serve-clear-cooldown.js';
import { serveListCooldowns } from './serve-list-cooldowns.js';
import { serveCountTokens } from './serve-count-tokens.js';
import { serveEmbed } from './serve-embed.js';
import { serveListModels } from './serve-list-models.js';
import { serveListReplicas } from './serve-list-replicas.js';
import { serveMux } from './serve-mux.js';
import { ServedLlmProxyDefinition, type ServedLlmProxyImplementation } from './served-service-definition.js';
import { registryHandlers } from './serve-registry.js';

export interface GrpcServerDependencies {
  models: () => ModelTable;
  router: Router;
  defaults: ChatDefaults;
  logger: Logger;
  health: HealthState;
  registry: EndpointRegistry;
  state: SharedState;
  replicas: ReplicaDirectory;
}

/** Builds the gRPC server with the LlmProxy and health services; binding is the caller's. */
export function createGrpcServer(dependencies: GrpcServerDependencies): grpc.Server {
  const server = new grpc.Server({
    // Streams can be long; keepalive pings tell a dead gateway from a quiet stream, with room for a gateway
    // whose answers are seconds late on a saturated machine.
    'grpc.keepalive_time_ms': 10_000,
    'grpc.keepalive_timeout_ms': 20_000,
    'grpc.keepalive_permit_without_calls': 1,
    // The same limit as the gateway's, above its body limit: a large vision request fits.
    'grpc.max_receive_message_length': MAX_SEAM_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_SEAM_MESSAGE_BYTES,
  });
  const implementation: ServedLlmProxyImplementation = {
    chat: (call) => void serveChat(call, dependencies),
    mux: (stream) => serveMux(stream, dependencies),
    listModels: (call, callback) => serveListModels(call, callback, dependencies.models()),
    embed: (call, callback) => void serveEmbed(call, callback, dependencies.models(), dependencies.logger),
    countTokens: (call, callback) => void serveCountTokens(call, callback, dependencies.models(), dependencies.logger),
    ...registryHandlers(dependencies.registry, dependencies.logger),
    listCooldowns: (_call, callback) => void serveListCooldowns(dependencies.state, callback),
    clearCooldown: (call, callback) => void serveClearCooldown(call, callback, dependencies.state, dependencies.logger),
    listReplicas: (_call, callback) => void serveListReplicas(dependencies.replicas, callback),
  };
  server.addService(ServedLlmProxyDefinition, implementation as unknown as grpc.UntypedServiceImplementation);
  server.addService(HealthServiceDefinition, dependencies.health.implementation() as unknown as grpc.UntypedServiceImplementation);
  return server;
}

export function bindServer(server: grpc.Server, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port)));
  });
}
