import * as grpc from '@grpc/grpc-js';
import {
  fromGrpcError,
  fromProtoRegistryEndpoint,
  LlmProxyClient as GeneratedClient,
  REQUEST_ID_METADATA_KEY,
  toProtoPutEndpointRequest,
  type RegistryEndpointInput,
  type RegistryEndpointView,
} from '@nachos/proto';

/** Registry calls are small; one that takes longer than this has a sick llm-proxy behind it. */
const CALL_TIMEOUT_MS = 30_000;

/**
 * The admin API's way to llm-proxy's endpoint registry (gRPC, like every other call to llm-proxy). A failed
 * call throws the ProviderError llm-proxy sent: `invalid_request` for a refused endpoint, `not_found`,
 * `unavailable` when the registry could not be saved.
 */
export class RegistryClient {
  readonly #client: InstanceType<typeof GeneratedClient>;

  constructor(address: string) {
    this.#client = new GeneratedClient(address, grpc.credentials.createInsecure());
  }

  /** The key cooldowns in force across the llm-proxy replicas, soonest to end first. */
  cooldowns(requestId: string): Promise<{ cooldowns: Array<{ key: string; reason: string; untilMs: number }>; state: string }> {
    return new Promise((resolve, reject) => {
      this.#client.listCooldowns({}, metadataOf(requestId), optionsOf(), (error, response) => {
        if (error) reject(fromGrpcError(error));
        else
          resolve({
            cooldowns: (response?.cooldowns ?? []).map((cooldown) => ({ key: cooldown.key, reason: cooldown.reason, untilMs: Number(cooldown.untilMs) })),
            state: response?.state ?? '',
          });
      });
    });
  }

  /** Ends the cooldown named `key` on every replica; false when none was in force. */
  clearCooldown(key: string, requestId: string): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.#client.clearCooldown({ key }, metadataOf(requestId), optionsOf(), (error, response) => (error ? reject(fromGrpcError(error)) : resolve(response?.cleared === true)));
    });
  }

  /** The llm-proxy replicas alive, each with its own status (as the answering replica knows them). */
  replicas(requestId: string, timeoutMs: number): Promise<Array<{ instance: string; status: string; startedAtMs: number; seenAtMs: number }>> {
    return new Promise((resolve, reject) => {
      this.#client.listReplicas({}, metadataOf(requestId), optionsOf(timeoutMs), (error, response) => {
        if (error) reject(fromGrpcError(error));
        else
          resolve(
            (response?.replicas ?? []).map((replica) => ({
              instance: replica.instance,
              status: replica.status,
              startedAtMs: Number(replica.startedAtMs),
              seenAtMs: Number(replica.seenAtMs),
            })),
          );
      });
    });
  }

  list(requestId: string): Promise<RegistryEndpointView[]> {
    return new Promise((resolve, reject) => {
      this.#client.listEndpoints({}, metadataOf(requestId), optionsOf(), (error, response) => {
        if (error) reject(fromGrpcError(error));
        else resolve((response?.endpoints ?? []).map(fromProtoRegistryEndpoint));
      });
    });
  }

  put(input: RegistryEndpointInput, requestId: string): Promise<RegistryEndpointView> {
    return new Promise((resolve, reject) => {
      this.#client.putEndpoint(toProtoPutEndpointRequest(input), metadataOf(requestId), optionsOf(), (error, response) => {
        if (error) reject(fromGrpcError(error));
        else if (response?.endpoint) resolve(fromProtoRegistryEndpoint(response.endpoint));
        else reject(new Error('llm-proxy answered PutEndpoint without the endpoint'));
      });
    });
  }

  remove(id: string, requestId: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#client.deleteEndpoint({ id }, metadataOf(requestId), optionsOf(), (error) => (error ? reject(fromGrpcError(error)) : resolve()));
    });
  }

  close(): void {
    this.#client.close();
  }
}

function metadataOf(requestId: string): grpc.Metadata {
  const metadata = new grpc.Metadata();
  metadata.set(REQUEST_ID_METADATA_KEY, requestId);
  return metadata;
}

function optionsOf(timeoutMs = CALL_TIMEOUT_MS): Partial<grpc.CallOptions> {
  return { deadline: Date.now() + timeoutMs };
}
