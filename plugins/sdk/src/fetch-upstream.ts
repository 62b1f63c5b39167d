import { ProviderError } from './provider-error.js';
import { readUpstreamError } from './read-upstream-error.js';
import type { Secret } from './secret.js';
import { UpstreamCallSignal } from './upstream-call-signal.js';

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
  /** The provider context's `fetch`, so that tests can stand in for the network. */
  fetch: typeof globalThis.fetch;
  /** The caller's signal; aborting it ends the call with kind `cancelled`. */
  signal: AbortSignal;
  /** Budget for the whole call, body included; exceeding it ends the call with kind `timeout`. */
  timeoutMs?: number;
  /** Forwarded as `x-request-id` so that upstream logs can be matched with ours. */
  requestId?: string;
  auth?: UpstreamAuth;
  providerId?: string;
}

/** A 2xx upstream response whose body failures come out as `ProviderError`s. */
export interface UpstreamResponse {
  readonly status: number;
  readonly headers: Headers;
  /**
   * The body's bytes. Aborts and broken connections surface as `ProviderError` (`cancelled`,
   * `timeout`, `unavailable`); stopping early closes the connection. Read it once.
   */
  body(): AsyncGenerator<Uint8Array>;
  /** The body parsed as JSON; a body that is not JSON fails with kind `internal`. */
  json(): Promise<unknown>;
  /** Closes the connection and releases the timer when the body will not be read. */
  discard(): Promise<void>;
}

/**
 * Sends one request upstream: JSON body, the caller's abort signal combined with a timeout,
 * `x-request-id` forwarding and the key injected as a header. This is the only place a plugin built
 * on the SDK reveals a key.
 *
 * A non-2xx answer is thrown as a `ProviderError` (see `readUpstreamError`); a connection failure as
 * `unavailable`; an abort as `cancelled` or `timeout`, depending on whose signal fired.
 */
export async function fetchUpstream(request: UpstreamRequest, options: FetchUpstreamOptions): Promise<UpstreamResponse> {
  const call = new UpstreamCallSignal(options.signal, options.timeoutMs, options.providerId);
  const secretValues = options.auth === undefined ? [] : [options.auth.secret.reveal()];
  let response: Response;
  try {
    if (call.signal.aborted) {
      throw call.failure();
    }
    response = await options.fetch(request.url, {
      method: request.method ?? (request.body === undefined ? 'GET' : 'POST'),
      headers: buildHeaders(request, options, secretValues[0]),
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: call.signal,
    });
  } catch (error) {
    call.dispose();
    throw call.failure(error);
  }
  if (!response.ok) {
    try {
      const error = await readUpstreamError(response, { providerId: options.providerId, secretValues });
      // An abort while the error body was read still ends the call as cancelled or timed out.
      throw call.signal.aborted ? call.failure() : error;
    } finally {
      call.dispose();
    }
  }
  return createUpstreamResponse(response, call);
}

function buildHeaders(request: UpstreamRequest, options: FetchUpstreamOptions, key: string | undefined): Headers {
  const headers = new Headers(request.headers);
  headers.set('accept', request.accept ?? 'application/json');
  if (request.body !== undefined) {
    headers.set('content-type', 'application/json');
  }
  if (options.requestId !== undefined) {
    headers.set('x-request-id', options.requestId);
  }
  if (options.auth !== undefined && key !== undefined) {
    headers.set(options.auth.header, `${options.auth.prefix ?? ''}${key}`);
  }
  return headers;
}

function createUpstreamResponse(response: Response, call: UpstreamCallSignal): UpstreamResponse {
  return {
    status: response.status,
    headers: response.headers,
    body: () => readBody(response, call),
    json: async () => {
      const decoder = new TextDecoder();
      let text = '';
      for await (const chunk of readBody(response, call)) {
        text += decoder.decode(chunk, { stream: true });
      }
      text += decoder.decode();
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        throw new ProviderError({ kind: 'internal', message: 'upstream answered with a body that is not JSON', cause: error });
      }
    },
    discard: async () => {
      call.dispose();
      await response.body?.cancel().catch(() => undefined);
    },
  };
}

/**
 * Reads the body while watching the call's signal. Cancelling the reader on abort makes a pending
 * read return even when the `fetch` in use does not tie its body to the signal (test doubles, some
 * polyfills), so an abort always ends the stream promptly.
 */
async function* readBody(response: Response, call: UpstreamCallSignal): AsyncGenerator<Uint8Array> {
  if (response.body === null) {
    call.dispose();
    return;
  }
  const reader = response.body.getReader();
  const onAbort = (): void => {
    reader.cancel().catch(() => undefined);
  };
  call.signal.addEventListener('abort', onAbort, { once: true });
  let finished = false;
  try {
    for (;;) {
      if (call.signal.aborted) {
        throw call.failure();
      }
      let result: Awaited<ReturnType<typeof reader.read>>;
      try {
        result = await reader.read();
      } catch (error) {
        throw call.failure(error);
      }
      if (call.signal.aborted) {
        throw call.failure();
      }
      if (result.done) {
        finished = true;
        return;
      }
      yield result.value;
    }
  } finally {
    call.signal.removeEventListener('abort', onAbort);
    call.dispose();
    if (!finished && !call.signal.aborted) {
      finished = await drainBriefly(reader);
    }
    if (!finished) {
      await reader.cancel().catch(() => undefined);
    }
    reader.releaseLock();
  }
}

const DRAIN_LIMIT_MS = 100;
const DRAIN_LIMIT_BYTES = 64 * 1024;

/**
 * A consumer that stops at the protocol's own end marker (`data: [DONE]`) usually leaves only the
 * body's terminator unread. Reading that rest, briefly and boundedly, lets the connection go back to
 * the keep-alive pool; cancelling would throw the socket away and cost a new connection (and TLS
 * handshake) on the next call.
 */
async function drainBriefly(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<boolean> {
  let bytes = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), DRAIN_LIMIT_MS);
  });
  try {
    while (bytes <= DRAIN_LIMIT_BYTES) {
      const result = await Promise.race([reader.read(), deadline]);
      if (result === 'late') return false;
      if (result.done) return true;
      bytes += result.value.byteLength;
    }
    return false;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
