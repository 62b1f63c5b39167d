import type { Response } from 'express';
import type { ChatRequest, StreamEvent, Usage } from '@nachos/plugin-sdk';
import type { LlmProxyClient } from '../llm-proxy/llm-proxy-client.js';
import { requestScopeOf } from '../policy/request-scope.js';
import type { UsageMeter } from '../usage/usage-meter.js';
import { aggregateEvents, type AggregatedResponse } from './aggregate-events.js';
import { setRouteHeaders } from './chat-exchange.js';
import { streamChoices } from './stream-choices.js';

export interface ChatFanOut {
  client: LlmProxyClient;
  /** A non-streaming request for `count` choices. */
  request: ChatRequest;
  count: number;
  /** Builds the body from every choice's answer, in choice order, and the usage of them all. */
  respond: (answers: AggregatedResponse[], usage: Usage) => unknown;
}

/**
 * Several choices answered together (OpenAI's `n` without a stream): from the provider in one call where
 * it answers them itself, else from a call per choice (see stream-choices.ts). A failure before every
 * choice is whole is answered as any failure before the first byte; usage is metered for them all.
 */
export async function runChatFanOut(httpResponse: Response, fanOut: ChatFanOut): Promise<void> {
  const controller = new AbortController();
  httpResponse.on('close', () => {
    if (!httpResponse.writableFinished) controller.abort();
  });
  const meter = httpResponse.locals.usageMeter as UsageMeter | undefined;
  meter?.engage(false);
  const context = { requestId: httpResponse.locals.requestId as string, signal: controller.signal, scope: requestScopeOf(httpResponse) };
  // Each choice's events, every one led by the start, for aggregating apart.
  const choices: StreamEvent[][] = Array.from({ length: fanOut.count }, () => []);
  let start: StreamEvent | undefined;
  let usage: Usage = { inputTokens: 0, outputTokens: 0 };
  let current = 0;
  for await (const event of streamChoices(fanOut.client, fanOut.request, context, fanOut.count)) {
    meter?.observe(event);
    if (event.type === 'start') {
      start = event;
      for (const events of choices) events.push(event);
    } else if (event.type === 'choice') current = event.index;
    else if (event.type === 'usage') usage = event.usage;
    else choices[current]?.push(event);
  }
  // A client gone before its answer ended the calls: nobody is left to answer.
  if (httpResponse.destroyed) return;
  const answers = await Promise.all(choices.map((events) => aggregateEvents(events)));
  if (start?.type === 'start') setRouteHeaders(httpResponse, start);
  httpResponse.json(fanOut.respond(answers, usage));
}
