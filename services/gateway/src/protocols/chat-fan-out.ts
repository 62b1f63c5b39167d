import type { Response } from 'express';
import type { ChatRequest, StreamEvent, Usage } from '@nachos/plugin-sdk';
import type { LlmProxyClient } from '../llm-proxy/llm-proxy-client.js';
import { requestScopeOf } from '../policy/request-scope.js';
import type { UsageMeter } from '../usage/usage-meter.js';
import { aggregateEvents, type AggregatedResponse } from './aggregate-events.js';

export interface ChatFanOut {
  client: LlmProxyClient;
  /** A non-streaming request, sent as it is `count` times. */
  request: ChatRequest;
  count: number;
  /** Builds the body from every answer, in the order the calls were made, and their summed usage. */
  respond: (answers: AggregatedResponse[], usage: Usage) => unknown;
}

/**
 * Several choices from providers that give one per call (OpenAI's `n`): the same request made `count`
 * times at once, answered together once all have finished. The first failure cancels the others and
 * is answered as any failure before the first byte; usage is metered as the sum of every call.
 */
export async function runChatFanOut(httpResponse: Response, fanOut: ChatFanOut): Promise<void> {
  const controller = new AbortController();
  httpResponse.on('close', () => {
    if (!httpResponse.writableFinished) controller.abort();
  });
  const meter = httpResponse.locals.usageMeter as UsageMeter | undefined;
  meter?.engage(false);
  const context = { requestId: httpResponse.locals.requestId as string, signal: controller.signal, scope: requestScopeOf(httpResponse) };
  let answers: AggregatedResponse[];
  try {
    answers = await Promise.all(Array.from({ length: fanOut.count }, () => aggregateEvents(withoutUsage(fanOut.client.chat(fanOut.request, context), meter))));
  } catch (error) {
    controller.abort();
    throw error;
  }
  const usage = sumUsage(answers.map((answer) => answer.usage));
  meter?.observe({ type: 'usage', usage });
  const first = answers[0]!;
  if (first.provider) httpResponse.setHeader('x-nachos-provider', first.provider);
  if (first.endpoint) httpResponse.setHeader('x-nachos-endpoint', first.endpoint);
  httpResponse.setHeader('x-nachos-attempts', String(answers.reduce((sum, answer) => sum + answer.attempts, 0)));
  httpResponse.json(fanOut.respond(answers, usage));
}

/** Shows the meter every event but each call's usage, which it would take for the whole request's. */
async function* withoutUsage(events: AsyncIterable<StreamEvent>, meter: UsageMeter | undefined): AsyncGenerator<StreamEvent> {
  for await (const event of events) {
    if (event.type !== 'usage') meter?.observe(event);
    yield event;
  }
}

/** The usage of several calls answering one request, as one. */
export function sumUsage(usages: readonly Usage[]): Usage {
  const total: Usage = { inputTokens: 0, outputTokens: 0 };
  for (const usage of usages) {
    total.inputTokens += usage.inputTokens;
    total.outputTokens += usage.outputTokens;
    for (const key of ['cacheReadTokens', 'cacheWriteTokens', 'reasoningTokens'] as const) {
      if (usage[key] !== undefined) total[key] = (total[key] ?? 0) + usage[key];
    }
  }
  return total;
}
