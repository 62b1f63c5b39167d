import type * as grpc from '@grpc/grpc-js';
import type { Logger } from '@nachos/common';
import { ProviderError } from '@nachos/plugin-sdk';
import { fromProtoChatRequest, toProtoChatEvent, type ChatEventBatch, type ChatRequest as ProtoChatRequest } from '@nachos/proto';
import { applyChatDefaults, type ChatDefaults } from '../chat-defaults.js';
import type { Router } from '../routing/router.js';
import { callAbortSignal } from './call-abort-signal.js';
import { ChatOutcome } from './chat-outcome.js';
import { endWithError } from './end-with-error.js';
import { EventBatcher } from './event-batcher.js';
import { callContextOf } from './call-context.js';
import { requestIdOf } from './request-id.js';

export interface ChatDependencies {
  router: Router;
  defaults: ChatDefaults;
  logger: Logger;
}

/**
 * Serves one `Chat` call (the one-call-per-chat form older gateways use; see serve-mux.ts for the
 * multiplexed one) through the router and relays its events. Unknown models and bad requests fail
 * before any upstream call. One log line per call, carrying the request id.
 */
export async function serveChat(call: grpc.ServerWritableStream<ProtoChatRequest, ChatEventBatch>, dependencies: ChatDependencies): Promise<void> {
  const requestId = requestIdOf(call);
  const { signal, dispose } = callAbortSignal(call);
  const outcome = new ChatOutcome();
  const batcher = new EventBatcher(call as grpc.ServerWritableStream<unknown, ChatEventBatch>);
  try {
    const request = fromProtoChatRequest(call.request);
    outcome.model = request.model;
    await dependencies.router.chat(applyChatDefaults(request, dependencies.defaults), { requestId, signal, ...callContextOf(call) }, (event) => {
      if (signal.aborted) throw signal.reason;
      outcome.observe(event);
      return batcher.add(toProtoChatEvent(event));
    });
    await batcher.flush();
    call.end();
    outcome.log(dependencies.logger, requestId, 'ok');
  } catch (error) {
    const failure = signal.aborted && ProviderError.isInstance(signal.reason) ? signal.reason : error;
    outcome.log(dependencies.logger, requestId, failure);
    // The events before the failure reach the gateway first, then the status that ends the stream.
    await batcher.flush().catch(() => {});
    if (!call.cancelled) endWithError(call, failure);
  } finally {
    dispose();
  }
}
