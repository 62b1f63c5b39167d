import type { Response } from 'express';
import { CallCancellation, ProviderError, type ChatRequest, type StreamEvent } from '@nachos/plugin-sdk';
import { toClientError } from '../errors/client-error.js';
import type { LlmProxyClient } from '../llm-proxy/llm-proxy-client.js';
import type { ChatEvents } from '../llm-proxy/mux-chat-events.js';
import { requestScopeOf } from '../policy/request-scope.js';
import type { UsageMeter } from '../usage/usage-meter.js';
import { EventAggregator, type AggregatedResponse } from './aggregate-events.js';
import { OpenStream, streamEnded, streamOpened } from './open-streams.js';
import type { StreamEncoder } from './stream-encoder.js';

export interface ChatExchange {
  /** Where the events come from: llm-proxy, or the calls answering several choices (see stream-choices.ts). */
  client: Pick<LlmProxyClient, 'chat' | 'streamStallMs'>;
  request: ChatRequest;
  /** Builds the stream encoder once the first event (the route) is known. */
  encoder: (start: StreamEvent | undefined) => StreamEncoder;
  /** Builds the non-streaming body. */
  respond: (response: AggregatedResponse) => unknown;
  /**
   * Runs once the answer is complete and before its last bytes go out (the whole body, or the stream's
   * closing frames), so that whatever it keeps is there when the client acts on the answer.
   */
  beforeFinish?: () => Promise<void>;
}

/**
 * Runs one chat call through llm-proxy for any client protocol. Nothing is written until the first
 * event arrives, so a failure before it (unknown model, upstream down) is an ordinary HTTP error in the
 * caller's protocol; after it, the encoder's in-band error ends the stream. A client that goes away
 * cancels the gRPC call, which aborts the upstream request.
 *
 * The call is started here and answered in `answerChat`, which is given what the answer needs and not the
 * request: it waits for as long as the answer lasts, and a waiting async function keeps every value it holds.
 * Held there, the request would keep its whole prompt alive until a stream's last token.
 */
export function runChatExchange(httpResponse: Response, exchange: ChatExchange): Promise<void> {
  // The route has read the parsed body into the request; nothing reads it again, and the Express request,
  // which lives as long as the answer, would keep the whole prompt with it.
  httpResponse.req.body = undefined;
  const stream = Boolean(exchange.request.stream);
  // A stream is ended by its cancellation (on shutdown, or when its client stalls); a non-streaming
  // call needs none: a client gone early returns its events, which cancels it the same way.
  const cancellation = stream ? new CallCancellation() : undefined;
  const requestId = httpResponse.locals.requestId as string;
  // Usage and metrics for every protocol: the meter sees each event and, on close, how the exchange ended.
  const meter = httpResponse.locals.usageMeter as UsageMeter | undefined;
  meter?.engage(stream);
  const events: ChatEvents = exchange.client.chat(exchange.request, { requestId, signal: cancellation, scope: requestScopeOf(httpResponse) })[Symbol.asyncIterator]();
  httpResponse.on('close', () => {
    if (httpResponse.writableFinished) return;
    if (cancellation) cancellation.abort();
    else void events.return?.().catch(ignore);
  });
  const answer: ChatAnswer = { encoder: exchange.encoder, respond: exchange.respond, beforeFinish: exchange.beforeFinish, streamStallMs: exchange.client.streamStallMs };
  return answerChat(httpResponse, events, cancellation, meter, answer);
}

/** What answering a chat takes from its exchange: everything but the request. */
type ChatAnswer = Pick<ChatExchange, 'encoder' | 'respond' | 'beforeFinish'> & { streamStallMs: number };

async function answerChat(
  httpResponse: Response,
  events: ChatEvents,
  cancellation: CallCancellation | undefined,
  meter: UsageMeter | undefined,
  answer: ChatAnswer,
): Promise<void> {
  const first = await events.next();
  const start = first.done ? undefined : first.value;
  if (start) meter?.observe(start);
  if (start?.type === 'start') setRouteHeaders(httpResponse, start);

  if (!cancellation) {
    // Each event is metered and folded as it is taken: no generator between the call and the fold.
    const aggregator = new EventAggregator();
    for (let event = start; event !== undefined; ) {
      aggregator.add(event);
      event = events.takeReceived?.();
      if (event === undefined) {
        const next = await events.next();
        event = next.done ? undefined : next.value;
      }
      if (event) meter?.observe(event);
    }
    // A client gone before its answer ended the call: what came so far is neither answered nor kept.
    if (httpResponse.destroyed) return;
    const body = answer.respond(aggregator.result());
    if (answer.beforeFinish) await answer.beforeFinish();
    // Written directly: what Express's json() adds (a content-type lookup, freshness checks) means
    // nothing for a freshly made answer to a POST.
    const json = JSON.stringify(body);
    httpResponse.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
    httpResponse.end(json);
    return;
  }

  const encoder = answer.encoder(start);
  httpResponse.writeHead(200, {
    'content-type': encoder.contentType,
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    // Tells nginx-style proxies not to buffer the stream.
    'x-accel-buffering': 'no',
  });
  meter?.streamOpened();
  const open = new OpenStream(httpResponse, encoder, cancellation);
  streamOpened(open);
  const write = streamWriter(httpResponse, answer.streamStallMs);
  try {
    // One loop from the gRPC stream to the socket: each event is metered and encoded in turn, and the
    // frames of the events that arrived together leave in one write (one chunk of the response, not one
    // per event). Nothing can abort the stream between two of them: that takes a turn of the event loop.
    for (let event = start; event !== undefined; ) {
      if (cancellation.aborted) return;
      // Only a full socket makes the loop wait; awaiting nothing would still cost a turn per batch.
      const drain = sendArrived(event, events, encoder, meter, write);
      if (drain) await drain;
      const next = await events.next();
      event = next.done ? undefined : next.value;
      if (event) meter?.observe(event);
    }
    const closing = encoder.end();
    if (answer.beforeFinish) await answer.beforeFinish();
    if (cancellation.aborted) return;
    httpResponse.end(closing);
  } catch (error) {
    if (cancellation.aborted) return;
    const clientError = toClientError(error, httpResponse.locals.caller as { providerKey?: unknown } | undefined);
    httpResponse.locals.streamError = { error, clientError };
    httpResponse.end(encoder.error(clientError));
    if (error === CLIENT_STALLED) {
      // The call upstream ends now; a client that stopped reading may never take the error event, so its
      // socket goes after another wait.
      cancellation.abort();
      setTimeout(() => httpResponse.destroy(), answer.streamStallMs).unref();
    }
  } finally {
    streamEnded(open);
  }
}

/**
 * Encodes `first` and every event already here after it (awaiting those would still cost a promise and a
 * turn each), and writes their frames as one chunk. Made apart from the exchange's loop because a waiting
 * async function keeps every register it has used: one holding the last frames would keep their text for
 * as long as the stream stays open.
 */
function sendArrived(
  first: StreamEvent,
  events: ChatEvents,
  encoder: StreamEncoder,
  meter: UsageMeter | undefined,
  write: (frames: string) => Promise<void> | void,
): Promise<void> | void {
  let frames = encoder.encode(first);
  for (let event = events.takeReceived?.(); event !== undefined; event = events.takeReceived?.()) {
    meter?.observe(event);
    frames += encoder.encode(event);
  }
  return write(frames);
}

/** Names who served the answer: `x-nachos-provider`, `x-nachos-endpoint`, `x-nachos-attempts`. */
export function setRouteHeaders(response: Response, start: Extract<StreamEvent, { type: 'start' }>): void {
  if (start.provider) response.setHeader('x-nachos-provider', start.provider);
  if (start.endpoint) response.setHeader('x-nachos-endpoint', start.endpoint);
  response.setHeader('x-nachos-attempts', String(start.attempts ?? 1));
}

/** A non-streaming call's early return: it only cancels the call, and nobody waits for it. */
const ignore = (): void => {};

const CLIENT_STALLED = new ProviderError({ kind: 'timeout', message: 'The client stopped reading the stream.' });

/**
 * Writes a stream's frames. Node's response corks its socket for the rest of the turn on a write, so
 * whatever is written in one turn (several batches that came in one message, the last frames and the
 * stream's end) leaves in one system call. It waits for the socket to drain when asked, so a slow client
 * is not buffered without bound (while it waits, llm-proxy gets no credit and stops reading the
 * upstream); a client that does not drain within `stallMs` is too far behind and its stream is ended.
 */
function streamWriter(response: Response, stallMs: number): (frames: string) => Promise<void> | void {
  return (frames) => {
    if (frames === '' || response.write(frames)) return;
    return drained(response, stallMs);
  };
}

function drained(response: Response, stallMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (stalled: boolean) => {
      if (timer) clearTimeout(timer);
      response.off('drain', done);
      response.off('close', done);
      if (stalled) reject(CLIENT_STALLED);
      else resolve();
    };
    const done = () => settle(false);
    const timer = stallMs > 0 ? setTimeout(() => settle(true), stallMs) : undefined;
    response.on('drain', done);
    response.on('close', done);
  });
}
