import * as grpc from '@grpc/grpc-js';
import { create } from '@bufbuild/protobuf';
import { ProviderError, type CallSignal, type ChatRequest, type EmbedRequest, type StreamEvent } from '@nachos/plugin-sdk';
import {
  CountTokensRequestSchema,
  fromProtoChatEvent,
  fromProtoEmbedResponse,
  fromProtoListedModel,
  HealthCheckResponse_ServingStatus,
  HealthClient,
  LlmProxyClient as GeneratedClient,
  MAX_SEAM_MESSAGE_BYTES,
  REQUEST_ID_METADATA_KEY,
  toProtoChatRequest,
  toProtoEmbedRequest,
  writeMuxOpen,
  type CanonicalEmbedResponse,
  type ChatEventBatch,
  type ListedModel,
} from '@nachos/proto';
import { isModelAllowed } from '../auth/model-access.js';
import type { RequestScope } from '../policy/request-scope.js';
import { appendCallerMetadata } from './caller-metadata.js';
import { callError, llmProxyUnavailable, requestTooLarge } from './call-error.js';
import { CANCELLED, INITIAL_CREDIT, MuxChat } from './mux-chat.js';
import { MuxChatEvents, type ChatEvents } from './mux-chat-events.js';
import { MuxPool } from './mux-pool.js';

export interface CallContext {
  requestId: string;
  /** Aborting it cancels the gRPC call, which aborts the upstream request in llm-proxy. */
  signal: AbortSignal;
  /** Absolute deadline in ms since the epoch. */
  deadline?: number;
  /** The admitted request the call serves; its caller's policy travels with the call. */
  scope?: RequestScope | undefined;
}

/**
 * A chat's context. Without a signal the consumer cancels the call by returning its events early, which
 * spares a call that needs no other way to be cancelled a signal and its listener; a stream's is a
 * `CallCancellation`, which needs no `AbortController`.
 */
export type ChatContext = Omit<CallContext, 'signal'> & { signal?: CallSignal | undefined };

const CHANNEL_OPTIONS: grpc.ChannelOptions = {
  // Images travel inline as base64: the seam carries anything under the body limit (see seam-limits.ts).
  'grpc.max_send_message_length': MAX_SEAM_MESSAGE_BYTES,
  'grpc.max_receive_message_length': MAX_SEAM_MESSAGE_BYTES,
  // A ping unanswered for 20 s ends the connection: the backstop for a quiet channel. Calls in flight do not
  // wait for it: their streams judge llm-proxy by the frames they get (mux-liveness.ts), since a ping's
  // answer comes late from a peer that is only slowed by a saturated machine.
  'grpc.keepalive_time_ms': 2_000,
  'grpc.keepalive_timeout_ms': 20_000,
  'grpc.keepalive_permit_without_calls': 1,
  // After a restart llm-proxy is reached again within a second of listening, whatever the outage lasted.
  'grpc.initial_reconnect_backoff_ms': 100,
  'grpc.max_reconnect_backoff_ms': 1_000,
  // Calls go to every address the name resolves to (each llm-proxy replica).
  'grpc.service_config': JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] }),
};

/**
 * Unary calls wait no longer than this when their caller set no deadline: a frozen llm-proxy holds them
 * only until then, even before the keepalive has noticed it.
 */
const LIST_MODELS_TIMEOUT_MS = 10_000;
const EMBED_TIMEOUT_MS = 120_000;
const COUNT_TOKENS_TIMEOUT_MS = 30_000;

/** A request's input tokens as its provider counts them; `inputTokens` absent when the provider cannot count. */
export interface ProviderTokenCount {
  inputTokens?: number;
  provider: string;
  endpoint: string;
}

/** How long a streaming client may leave its socket full before its chat is ended (`gateway.stream_stall_timeout_ms`). */
const DEFAULT_STREAM_STALL_MS = 30_000;

/** The gateway's only way to llm-proxy: canonical types in, canonical types out, ProviderError on failure. */
export class LlmProxyClient {
  readonly #client: InstanceType<typeof GeneratedClient>;
  readonly #health: InstanceType<typeof HealthClient>;
  readonly #mux: MuxPool;
  /**
   * How long the consumer of a chat may stop taking events (its client's socket full) before the chat is
   * ended: credit stops llm-proxy meanwhile, so a stalled client costs a bounded buffer, and then nothing.
   */
  readonly streamStallMs: number;

  constructor(address: string, options: { streamStallMs?: number } = {}) {
    this.streamStallMs = options.streamStallMs ?? DEFAULT_STREAM_STALL_MS;
    this.#client = new GeneratedClient(address, grpc.credentials.createInsecure(), CHANNEL_OPTIONS);
    this.#health = new HealthClient(address, grpc.credentials.createInsecure(), CHANNEL_OPTIONS);
    this.#mux = new MuxPool(() => new GeneratedClient(address, grpc.credentials.createInsecure(), { ...CHANNEL_OPTIONS, 'grpc.use_local_subchannel_pool': 1 }));
  }

  /**
   * Streams canonical events; a failed call throws the ProviderError llm-proxy sent. Chats run on the
   * pooled `Mux` streams: the request and the caller's policy travel in the frame that opens the call.
   */
  chat(request: ChatRequest, context: ChatContext): ChatEvents {
    return new MuxChatEvents({
      start: () => (this.#mux.legacy ? undefined : this.#startMux(encodeOpen(request, context), context)),
      perCall: () => {
        if (context.signal) return this.#chatPerCall(request, context, context.signal);
        // Returning early must cancel the call at once, not when the generator next gets a batch.
        const controller = new AbortController();
        const events = this.#chatPerCall(request, context, controller.signal);
        return {
          next: () => events.next(),
          return: () => {
            controller.abort();
            return events.return(undefined);
          },
        };
      },
    });
  }

  /**
   * Opens a chat on a `Mux` stream from its encoded open frame, with its cancel and deadline. Apart from
   * `chat` so that the closures kept for the call's life (the cancel listener, the release) do not share a
   * scope with the request, whose prompt would then live as long as the stream.
   */
  #startMux(open: Uint8Array, context: ChatContext): { chat: MuxChat; release: () => void } {
    const chat = new MuxChat(open);
    const { signal } = context;
    const cancel = signal && (() => chat.cancel(CANCELLED));
    if (cancel) signal.addEventListener('abort', cancel, { once: true });
    const deadline = context.deadline === undefined ? undefined : setTimeout(() => chat.cancel(deadlinePassed()), Math.max(0, context.deadline - Date.now()));
    const release =
      cancel || deadline
        ? () => {
            if (cancel) signal.removeEventListener('abort', cancel);
            if (deadline) clearTimeout(deadline);
          }
        : NOTHING_TO_RELEASE;
    try {
      this.#mux.start(chat);
    } catch (error) {
      release();
      throw error;
    }
    return { chat, release };
  }

  /** One server-streaming `Chat` call per chat, for an llm-proxy that predates `Mux`. */
  async *#chatPerCall(request: ChatRequest, context: ChatContext, signal: CallSignal): AsyncGenerator<StreamEvent> {
    const call = this.#client.chat(toProtoChatRequest(request), metadataOf(context), optionsOf(context));
    const cancel = () => call.cancel();
    signal.addEventListener('abort', cancel, { once: true });
    try {
      for await (const batch of call as AsyncIterable<ChatEventBatch>) {
        for (const event of batch.events) yield fromProtoChatEvent(event);
      }
    } catch (error) {
      throw callError(error as grpc.ServiceError);
    } finally {
      signal.removeEventListener('abort', cancel);
      call.cancel();
    }
  }

  /** Every model served; with `name`, what that name resolves to as a chat request naming it would. */
  listModels(context: CallContext, name?: string): Promise<ListedModel[]> {
    if (this.#mux.down) return Promise.reject(llmProxyUnavailable());
    return new Promise((resolve, reject) => {
      const allowed = context.scope?.caller.models;
      this.#client.listModels(name ? { resolve: name } : {}, metadataOf(context), optionsOf(context, LIST_MODELS_TIMEOUT_MS), (error, response) => {
        if (error) reject(callError(error));
        else resolve((response?.models ?? []).map(fromProtoListedModel).filter((model) => isListable(model, allowed)));
      });
    });
  }

  embed(request: EmbedRequest, context: CallContext): Promise<CanonicalEmbedResponse> {
    if (this.#mux.down) return Promise.reject(llmProxyUnavailable());
    return new Promise((resolve, reject) => {
      const call = this.#client.embed(toProtoEmbedRequest(request), metadataOf(context), optionsOf(context, EMBED_TIMEOUT_MS), (error, response) => {
        if (error) reject(callError(error));
        else if (response) resolve(fromProtoEmbedResponse(response));
      });
      context.signal.addEventListener('abort', () => call.cancel(), { once: true });
    });
  }

  /** Counts on the provider's own counting endpoint (a unary call, apart from the chat streams). */
  countTokens(request: ChatRequest, context: CallContext): Promise<ProviderTokenCount> {
    if (this.#mux.down) return Promise.reject(llmProxyUnavailable());
    return new Promise((resolve, reject) => {
      const message = create(CountTokensRequestSchema, { request: toProtoChatRequest(request) });
      const call = this.#client.countTokens(message, metadataOf(context), optionsOf(context, COUNT_TOKENS_TIMEOUT_MS), (error, response) => {
        if (error) reject(callError(error));
        else if (response) {
          const { inputTokens, provider, endpoint } = response;
          resolve(inputTokens === undefined ? { provider, endpoint } : { inputTokens, provider, endpoint });
        }
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
    this.#mux.close();
    this.#client.close();
    this.#health.close();
  }
}

/**
 * The frame body that opens a chat: the request, its id and deadline, the first credit, and the caller's
 * policy when the call serves an admitted request (its scope). A request the seam cannot carry is
 * refused here, with 413, before anything is sent.
 */
function encodeOpen(request: ChatRequest, context: ChatContext): Uint8Array {
  const { scope } = context;
  const open = writeMuxOpen({
    request,
    requestId: context.requestId,
    timeoutMs: context.deadline === undefined ? 0 : Math.min(0xffffffff, Math.max(1, Math.ceil(context.deadline - Date.now()))),
    credit: INITIAL_CREDIT,
    ...(scope ? { caller: callerOf(scope) } : {}),
  });
  // The frame adds a few bytes to the body; grpc-js refuses a message over the limit for the whole stream.
  if (open.length > MAX_SEAM_MESSAGE_BYTES - 64) throw requestTooLarge();
  return open;
}

function callerOf(scope: RequestScope) {
  const { caller, forwardedHeaders } = scope;
  return {
    ...(caller.models === undefined ? {} : { allowedModels: [...caller.models] }),
    ...(caller.providerKey ? { providerKey: caller.providerKey } : {}),
    ...(Object.keys(forwardedHeaders).length > 0 ? { clientHeaders: { ...forwardedHeaders } } : {}),
  };
}

const NOTHING_TO_RELEASE = (): void => {};

function deadlinePassed(): ProviderError {
  return new ProviderError({ kind: 'timeout', message: 'llm-proxy did not answer in time.' });
}

/**
 * The request id, and the caller's policy when the call serves an admitted request (its scope):
 * llm-proxy needs it to keep a key to its models, use a caller's own provider key, and apply header rules.
 */
function metadataOf(context: ChatContext): grpc.Metadata {
  const metadata = new grpc.Metadata();
  metadata.set(REQUEST_ID_METADATA_KEY, context.requestId);
  if (context.scope) appendCallerMetadata(metadata, context.scope);
  return metadata;
}

/** A key is shown exactly the models it may request by their listed names (the names its patterns are checked against). */
function isListable(model: ListedModel, allowed: readonly string[] | undefined): boolean {
  return isModelAllowed(allowed, model.id);
}

/** The caller's deadline, else `defaultMs` from now when given. */
function optionsOf(context: ChatContext, defaultMs?: number): Partial<grpc.CallOptions> {
  if (context.deadline !== undefined) return { deadline: context.deadline };
  return defaultMs === undefined ? {} : { deadline: Date.now() + defaultMs };
}
