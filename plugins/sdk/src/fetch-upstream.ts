import type { Dispatcher } from 'undici';
import type { CallSignal } from './call-signal.js';
import { defaultUpstreamDispatcher } from './default-upstream-dispatcher.js';
import { OneShotBody } from './one-shot-body.js';
import type { HeaderReader } from './parse-retry-after.js';
import { ProviderError } from './provider-error.js';
import { readUpstreamError } from './read-upstream-error.js';
import type { Secret } from './secret.js';
import { UpstreamCallSignal } from './upstream-call-signal.js';
import { UpstreamExchange, type UpstreamProgress } from './upstream-exchange.js';
import { upstreamTarget } from './upstream-target.js';

/** One HTTP request to a provider. */
export interface UpstreamRequest {
  url: string;
  /** Defaults to POST when there is a body, GET otherwise. */
  method?: string;
  /** Sent as JSON. */
  body?: unknown;
  /** Provider, endpoint and call headers, already merged (see `mergeHeaders`). */
  headers?: Readonly<Record<string, string>>;
  /** The `accept` header; `application/json` unless the caller expects a stream. */
  accept?: string;
}

/** How the key travels: `{ header: 'authorization', prefix: 'Bearer ' }`, `{ header: 'x-api-key' }`. */
export interface UpstreamAuth {
  header: string;
  secret: Secret;
  prefix?: string;
}

export interface FetchUpstreamOptions {
  /**
   * The connection pools to send through: the provider context's `dispatcher` (llm-proxy gives every
   * endpoint keep-alive pools, guarded for endpoints added at run time). Without one, a shared
   * keep-alive agent of this SDK's own.
   */
  dispatcher?: Dispatcher;
  /** The caller's signal (`CallOptions.cancellation`, or an `AbortSignal`); aborting it ends the call with kind `cancelled`. */
  signal: CallSignal;
  /** Budget for the whole call, body included; exceeding it ends the call with kind `timeout`. */
  timeoutMs?: number;
  /** Forwarded as `x-request-id` so that upstream logs can be matched with ours. */
  requestId?: string;
  auth?: UpstreamAuth;
  providerId?: string;
  /** Told when the request leaves on a connection and when the response headers arrive (see `CallOptions`). */
  progress?: UpstreamProgress;
  /**
   * Adds headers computed from the finished request, as it leaves (AWS SigV4 signs method, URL,
   * headers and the exact body text).
   */
  sign?: (request: SignableRequest) => Promise<Record<string, string>>;
  /** Sees the status and headers of every answer, error answers included (Bedrock's `x-amzn-errortype`). */
  onResponse?: (status: number, headers: HeaderReader) => void;
}

/** A request as it is about to be sent, for `FetchUpstreamOptions.sign`. */
export interface SignableRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: string | undefined;
}

/** A 2xx upstream response whose body failures come out as `ProviderError`s. */
export interface UpstreamResponse {
  readonly status: number;
  /** The response headers; read them before the body: `body()` and `json()` let go of them. */
  readonly headers: HeaderReader;
  /**
   * The body's bytes, pulled as the consumer asks (the socket pauses while it does not). Aborts and
   * broken connections surface as `ProviderError` (`cancelled`, `timeout`, `unavailable`); stopping
   * early closes the connection unless the body was about to end anyway. Read it once.
   */
  body(): AsyncIterable<Uint8Array>;
  /** The body parsed as JSON; a body that is not JSON fails with kind `internal`. */
  json(): Promise<unknown>;
  /** Closes the connection and releases the timer when the body will not be read. */
  discard(): Promise<void>;
}

/**
 * Sends one request upstream through an undici dispatcher (keep-alive pools per origin): JSON body,
 * the caller's abort signal combined with a timeout, `x-request-id` forwarding and the key injected
 * as a header. This is the only place a plugin built on the SDK reveals a key.
 *
 * Redirects are never followed: a provider endpoint that answers 3xx is misconfigured or
 * compromised, and following it would send the prompt and the key to a host nobody vetted.
 *
 * A non-2xx answer is thrown as a `ProviderError` (see `readUpstreamError`); a connection failure as
 * `unavailable`; an abort as `cancelled` or `timeout`, depending on whose signal fired. A failure
 * before the request left on a connection (waiting for a pooled connection, a connect that timed
 * out) is marked `local`: it was our saturation, not the provider's doing.
 */
export async function fetchUpstream(request: UpstreamRequest, options: FetchUpstreamOptions): Promise<UpstreamResponse> {
  const call = new UpstreamCallSignal(options.signal, options.timeoutMs, options.providerId);
  const key = options.auth?.secret.reveal();
  const exchange = new UpstreamExchange(options.progress);
  const onAbort = (): void => exchange.abort(abortError(call.reason));
  try {
    if (call.aborted) {
      throw call.failure();
    }
    const { origin, path } = upstreamTarget(request.url);
    const method = request.method ?? (request.body === undefined ? 'GET' : 'POST');
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    let headers = buildHeaders(request, options, key);
    if (options.sign !== undefined) {
      headers = await options.sign({ method, url: new URL(request.url), headers, body });
    }
    call.onAbort(onAbort);
    (options.dispatcher ?? (await defaultUpstreamDispatcher())).dispatch(
      body === undefined ? { origin, path, method, headers } : { origin, path, method, headers, body: payloadOf(body, headers) },
      exchange,
    );
    await exchange.responded;
    options.onResponse?.(exchange.status, exchange.headers);
  } catch (error) {
    call.dispose();
    throw call.failure(error, isLocalFailure(exchange, call, error));
  }
  if (exchange.status < 200 || exchange.status >= 300) {
    try {
      const error =
        exchange.status < 400
          ? redirectError(exchange.status, options.providerId)
          : await readUpstreamError(
              { status: exchange.status, headers: exchange.headers, body: exchange },
              { ...(options.providerId === undefined ? {} : { providerId: options.providerId }), secretValues: key === undefined ? [] : [key] },
            );
      // An abort while the error body was read still ends the call as cancelled or timed out.
      throw call.aborted ? call.failure() : error;
    } finally {
      await exchange.return();
      call.dispose();
    }
  }
  return createUpstreamResponse(exchange, call);
}

/**
 * Past this many characters a body is handed to undici as a `OneShotBody`, which it does not keep once
 * written; below it, as the string, which undici writes with its headers in one call: an iterable body costs
 * an async loop and two socket listeners per request, and a small prompt kept for a stream's life costs little.
 */
const ONE_SHOT_CHARACTERS = 8 * 1024;

/**
 * The body as undici takes it; an iterable one needs its length in the headers, or it would go chunked.
 * undici's documentation lists iterable bodies for `dispatch` (its request object takes any iterable), though
 * its type declarations leave them out.
 */
function payloadOf(body: string, headers: Record<string, string>): Dispatcher.DispatchOptions['body'] {
  if (body.length < ONE_SHOT_CHARACTERS) return body;
  const bytes = Buffer.from(body, 'utf8');
  headers['content-length'] = String(bytes.byteLength);
  return new OneShotBody(bytes) as unknown as Dispatcher.DispatchOptions['body'];
}

function buildHeaders(request: UpstreamRequest, options: FetchUpstreamOptions, key: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (request.headers !== undefined) {
    for (const name in request.headers) headers[name.toLowerCase()] = request.headers[name] as string;
  }
  headers['accept'] = request.accept ?? 'application/json';
  if (request.body !== undefined) {
    headers['content-type'] = 'application/json';
  }
  if (options.requestId !== undefined) {
    headers['x-request-id'] = options.requestId;
  }
  if (options.auth !== undefined && key !== undefined) {
    headers[options.auth.header.toLowerCase()] = `${options.auth.prefix ?? ''}${key}`;
  }
  return headers;
}

function createUpstreamResponse(exchange: UpstreamExchange, call: UpstreamCallSignal): UpstreamResponse {
  const status = exchange.status;
  // The exchange is the body's iterator itself, one hop per chunk; the call's timer and signal go with it.
  const body = (): AsyncIterable<Uint8Array> => {
    exchange.readBody(call);
    return exchange;
  };
  return {
    status,
    headers: exchange.headers,
    body,
    json: async () => {
      const chunks: Uint8Array[] = [];
      for await (const chunk of body()) chunks.push(chunk);
      try {
        // A short answer is usually one chunk: decoded where it lies rather than copied first.
        const whole = chunks.length === 1 ? (chunks[0] as Uint8Array) : Buffer.concat(chunks);
        return JSON.parse(Buffer.from(whole.buffer, whole.byteOffset, whole.byteLength).toString('utf8')) as unknown;
      } catch (error) {
        throw new ProviderError({ kind: 'internal', message: 'upstream answered with a body that is not JSON', cause: error });
      }
    },
    discard: async () => {
      exchange.abort(new Error('upstream body discarded'));
      call.dispose();
    },
  };
}

function redirectError(status: number, providerId: string | undefined): ProviderError {
  return new ProviderError({
    kind: 'unavailable',
    message: `upstream answered HTTP ${status} (a redirect); upstream calls do not follow redirects, so the endpoint's base URL must name the final location`,
    status,
    ...(providerId === undefined ? {} : { providerId }),
  });
}

/**
 * A connect that timed out, or a call whose time ran out before it ever reached a connection (it
 * waited for a pooled one). A refused connection or a failed lookup is not local: that is the
 * provider's (or its address's) doing.
 */
function isLocalFailure(exchange: UpstreamExchange, call: UpstreamCallSignal, error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return code === 'UND_ERR_CONNECT_TIMEOUT' || (!exchange.sent && call.aborted);
}

function abortError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason ?? 'aborted'));
}
