import * as grpc from '@grpc/grpc-js';
import type { ChatRequest, EmbedRequest, StreamEvent } from '@nachos/plugin-sdk';
import {
  fromGrpcError,
  fromProtoChatEvent,
  fromProtoEmbedResponse,
  fromProtoListedModel,
  HealthCheckResponse_ServingStatus,
  HealthClient,
  LlmProxyClient as GeneratedClient,
  REQUEST_ID_METADATA_KEY,
  toProtoChatRequest,
  toProtoEmbedRequest,
  type CanonicalEmbedResponse,
  type ChatEventBatch,
  type ListedModel,
} from '@nachos/proto';
import { isModelAllowed } from '../auth/model-access.js';
import type { RequestScope } from '../policy/request-scope.js';
import { appendCallerMetadata } from './caller-metadata.js';

export interface CallContext {
  requestId: string;
  /** Aborting it cancels the gRPC call, which aborts the upstream request in llm-proxy. */
  signal: AbortSignal;
  /** Absolute deadline in ms since the epoch. */
  deadline?: number;
  /** The admitted request the call serves; its caller's policy travels with the call. */
  scope?: RequestScope | undefined;
}

const CHANNEL_OPTIONS: grpc.ChannelOptions = {
  // Images travel inline as base64; the default 4 MiB would reject ordinary vision requests.
  'grpc.max_send_message_length': 64 * 1024 * 1024,
  'grpc.max_receive_message_length': 64 * 1024 * 1024,
  'grpc.keepalive_time_ms': 30_000,
  'grpc.keepalive_permit_without_calls': 1,
};

/** The gateway's only way to llm-proxy: canonical types in, canonical types out, ProviderError on failure. */
export class LlmProxyClient {
  readonly #client: InstanceType<typeof GeneratedClient>;
  readonly #health: InstanceType<typeof HealthClient>;

  constructor(address: string) {
    this.#client = new GeneratedClient(address, grpc.credentials.createInsecure(), CHANNEL_OPTIONS);
    this.#health = new HealthClient(address, grpc.credentials.createInsecure(), CHANNEL_OPTIONS);
  }

  /** Streams canonical events; a failed call throws the ProviderError llm-proxy sent. */
  async *chat(request: ChatRequest, context: CallContext): AsyncGenerator<StreamEvent> {
    const call = this.#client.chat(toProtoChatRequest(request), metadataOf(context), optionsOf(context));
    const cancel = () => call.cancel();
    context.signal.addEventListener('abort', cancel, { once: true });
    try {
      for await (const batch of call as AsyncIterable<ChatEventBatch>) {
        for (const event of batch.events) yield fromProtoChatEvent(event);
      }
    } catch (error) {
      throw fromGrpcError(error as grpc.ServiceError);
    } finally {
      context.signal.removeEventListener('abort', cancel);
      // A consumer that stops early (client gone) must not leave the upstream running.
      call.cancel();
    }
  }

  listModels(context: CallContext): Promise<ListedModel[]> {
    return new Promise((resolve, reject) => {
      const allowed = context.scope?.caller.models;
      this.#client.listModels({}, metadataOf(context), optionsOf(context), (error, response) => {
        if (error) reject(fromGrpcError(error));
        else resolve((response?.models ?? []).map(fromProtoListedModel).filter((model) => isListable(model, allowed)));
      });
    });
  }

  embed(request: EmbedRequest, context: CallContext): Promise<CanonicalEmbedResponse> {
    return new Promise((resolve, reject) => {
      const call = this.#client.embed(toProtoEmbedRequest(request), metadataOf(context), optionsOf(context), (error, response) => {
        if (error) reject(fromGrpcError(error));
        else if (response) resolve(fromProtoEmbedResponse(response));
      });
      context.signal.addEventListener('abort', () => call.cancel(), { once: true });
    });
  }

  /** Whether llm-proxy answers its health service with SERVING within `timeoutMs`. */
  isServing(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      this.#health.check({ service: '' }, { deadline: Date.now() + timeoutMs }, (error, response) =>
        resolve(!error && response?.status === HealthCheckResponse_ServingStatus.SERVING),
      );
    });
  }

  close(): void {
    this.#client.close();
    this.#health.close();
  }
}

/**
 * The request id, and the caller's policy when the call serves an admitted request (its scope):
 * llm-proxy needs it to keep a key to its models, use a caller's own provider key, and apply header rules.
 */
function metadataOf(context: CallContext): grpc.Metadata {
  const metadata = new grpc.Metadata();
  metadata.set(REQUEST_ID_METADATA_KEY, context.requestId);
  if (context.scope) appendCallerMetadata(metadata, context.scope);
  return metadata;
}

/** A key is shown exactly the models it may request by their listed names (the names its patterns are checked against). */
function isListable(model: ListedModel, allowed: readonly string[] | undefined): boolean {
  return isModelAllowed(allowed, model.id);
}

function optionsOf(context: CallContext): Partial<grpc.CallOptions> {
  return context.deadline === undefined ? {} : { deadline: context.deadline };
}
