import type * as grpc from '@grpc/grpc-js';
import type { Logger } from '@nachos/common';
import { ProviderError, type StartEvent, type Usage } from '@nachos/plugin-sdk';
import { fromProtoChatRequest, toProtoChatEvent, type ChatEventBatch, type ChatRequest as ProtoChatRequest } from '@nachos/proto';
import { applyChatDefaults, type ChatDefaults } from '../chat-defaults.js';
import type { Router } from '../routing/router.js';
import { callAbortSignal } from './call-abort-signal.js';
import { endWithError } from './end-with-error.js';
import { EventBatcher } from './event-batcher.js';
import { callContextOf } from './call-context.js';
import { requestIdOf } from './request-id.js';

export interface ChatDependencies {
  router: Router;
  defaults: ChatDefaults;
  logger: Logger;
}

interface Outcome {
  model?: string;
  start?: StartEvent;
  firstEventMs?: number;
  usage?: Usage;
}

/**
 * Serves one `Chat` call through the router and relays its events. Unknown models and bad requests
 * fail before any upstream call. One log line per call, carrying the request id.
 */
export async function serveChat(call: grpc.ServerWritableStream<ProtoChatRequest, ChatEventBatch>, dependencies: ChatDependencies): Promise<void> {
  const requestId = requestIdOf(call);
  const startedAt = performance.now();
  const { signal, dispose } = callAbortSignal(call);
  const outcome: Outcome = {};
  const batcher = new EventBatcher(call as grpc.ServerWritableStream<unknown, ChatEventBatch>);
  try {
    const request = fromProtoChatRequest(call.request);
    outcome.model = request.model;
    for await (const event of dependencies.router.chat(applyChatDefaults(request, dependencies.defaults), { requestId, signal, ...callContextOf(call) })) {
      if (signal.aborted) throw signal.reason;
      if (event.type === 'start') {
        outcome.start = event;
        outcome.firstEventMs = performance.now() - startedAt;
      }
      if (event.type === 'usage') outcome.usage = event.usage;
      await batcher.add(toProtoChatEvent(event));
    }
    await batcher.flush();
    call.end();
    log(dependencies.logger, requestId, outcome, startedAt, 'ok');
  } catch (error) {
    const failure = signal.aborted && ProviderError.isInstance(signal.reason) ? signal.reason : error;
    log(dependencies.logger, requestId, outcome, startedAt, failure);
    // The events before the failure reach the gateway first, then the status that ends the stream.
    await batcher.flush().catch(() => {});
    if (!call.cancelled) endWithError(call, failure);
  } finally {
    dispose();
  }
}

function log(logger: Logger, requestId: string, outcome: Outcome, startedAt: number, result: unknown): void {
  const fields = {
    requestId,
    model: outcome.model,
    provider: outcome.start?.provider,
    endpoint: outcome.start?.endpoint,
    attempts: outcome.start?.attempts,
    durationMs: Math.round(performance.now() - startedAt),
    firstEventMs: outcome.firstEventMs === undefined ? undefined : Math.round(outcome.firstEventMs),
    inputTokens: outcome.usage?.inputTokens,
    outputTokens: outcome.usage?.outputTokens,
  };
  if (result === 'ok') {
    logger.info('chat', { ...fields, status: 'ok' });
    return;
  }
  const kind = ProviderError.isInstance(result) ? result.kind : 'internal';
  const message = result instanceof Error ? result.message : String(result);
  const level = kind === 'cancelled' || kind === 'not_found' || kind === 'invalid_request' ? 'info' : 'warn';
  logger.log(level, 'chat failed', { ...fields, status: kind, error: message });
}
