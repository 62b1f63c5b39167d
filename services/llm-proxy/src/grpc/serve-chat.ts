import type * as grpc from '@grpc/grpc-js';
import type { Logger } from '@nachos/common';
import { ProviderError, type StreamEvent, type Usage } from '@nachos/plugin-sdk';
import { fromProtoChatRequest, toProtoChatEvent, type ChatEvent, type ChatRequest as ProtoChatRequest } from '@nachos/proto';
import { applyChatDefaults, type ChatDefaults } from '../chat-defaults.js';
import type { ModelTable } from '../routing/model-table.js';
import { callAbortSignal } from './call-abort-signal.js';
import { endWithError } from './end-with-error.js';
import { requestIdOf } from './request-id.js';
import { writeWithBackpressure } from './write-event.js';

export interface ChatDependencies {
  models: () => ModelTable;
  defaults: ChatDefaults;
  logger: Logger;
}

/**
 * Serves one `Chat` call: resolve the model, call the endpoint's plugin, and relay its events with the
 * route filled into `start`. Unknown models and bad requests fail before any upstream call. One log
 * line per call, carrying the request id.
 */
export async function serveChat(call: grpc.ServerWritableStream<ProtoChatRequest, ChatEvent>, dependencies: ChatDependencies): Promise<void> {
  const requestId = requestIdOf(call);
  const startedAt = performance.now();
  const { signal, dispose } = callAbortSignal(call);
  const outcome: { endpoint?: string; provider?: string; firstEventMs?: number; usage?: Usage; model?: string } = {};
  try {
    const request = fromProtoChatRequest(call.request);
    outcome.model = request.model;
    const [route] = dependencies.models().resolve(request.model);
    if (!route) throw new ProviderError({ kind: 'not_found', message: `The model '${request.model}' is not served here.` });
    outcome.endpoint = route.endpoint.definition.id;
    outcome.provider = route.endpoint.definition.provider;
    const upstreamRequest = { ...applyChatDefaults(request, dependencies.defaults), model: route.upstreamModel };
    for await (const event of route.endpoint.provider.chat(upstreamRequest, { signal, requestId })) {
      if (signal.aborted) throw signal.reason;
      outcome.firstEventMs ??= performance.now() - startedAt;
      if (event.type === 'usage') outcome.usage = event.usage;
      await writeWithBackpressure(call, toProtoChatEvent(withRoute(event, outcome.provider, outcome.endpoint)));
    }
    call.end();
    log(dependencies.logger, requestId, outcome, startedAt, 'ok');
  } catch (error) {
    const failure = signal.aborted && ProviderError.isInstance(signal.reason) ? signal.reason : error;
    log(dependencies.logger, requestId, outcome, startedAt, failure);
    if (!call.cancelled) endWithError(call, failure);
  } finally {
    dispose();
  }
}

function withRoute(event: StreamEvent, provider: string, endpoint: string): StreamEvent {
  return event.type === 'start' ? { ...event, provider, endpoint, attempts: 1 } : event;
}

function log(
  logger: Logger,
  requestId: string,
  outcome: { endpoint?: string; provider?: string; firstEventMs?: number; usage?: Usage; model?: string },
  startedAt: number,
  result: unknown,
): void {
  const fields = {
    requestId,
    model: outcome.model,
    provider: outcome.provider,
    endpoint: outcome.endpoint,
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
