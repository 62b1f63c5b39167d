import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler, Response } from 'express';
import type { Logger } from '@nachos/common';
import { PassthroughUsageMeter } from '../passthrough/passthrough-usage-meter.js';
import type { UsageMeter } from '../usage/usage-meter.js';

/** Headers that may carry a gateway key or a caller's own key; none of them leaves the gateway. */
const CLIENT_KEY_HEADERS = ['authorization', 'x-api-key', 'api-key', 'x-goog-api-key', 'x-provider-api-key', 'proxy-authorization', 'cookie'];

export interface PassthroughRouteOptions {
  /** llm-proxy's pass-through listener, e.g. `http://llm-proxy:9090`. */
  target: string;
  /** Headers the gateway reads its keys from (`[auth] header_names`); stripped with the usual ones. */
  keyHeaders: readonly string[];
  logger: Logger;
}

/**
 * `/passthrough/<endpoint or provider>/<path>`: the raw APIs nachos does not translate (files, batches,
 * images, audio, rerank), forwarded byte for byte to llm-proxy's pass-through listener, which adds the
 * endpoint's key. Nothing is buffered either way (no body parser runs before it, `selfHandleResponse` is
 * off, the gateway compresses nothing), so a stream's first byte reaches the client as the upstream sends
 * it. The caller's key headers are taken off here. Mount it after authentication and the policy's
 * admission (rate limits and the request's usage meter), before the body parser: the token counts read
 * from the answer as it passes ({@link PassthroughUsageMeter}) go into that usage meter, so a pass-through
 * request is limited, settled and reported like a translated one.
 *
 * http-proxy-middleware (with http-proxy and micromatch) is imported on the first pass-through request,
 * not at start: most gateways never forward one, and it is ~1.5 MB of heap held for nothing.
 */
export function passthroughRoutes(options: PassthroughRouteOptions): RequestHandler {
  let proxy: RequestHandler | undefined;
  let loading: Promise<RequestHandler> | undefined;
  return (request, response, next) => {
    if (proxy) return proxy(request, response, next);
    loading ??= import('http-proxy-middleware').then((library) => (proxy = createProxy(library, options)));
    loading.then((loaded) => {
      // Answered while the proxy loaded (a 408 once its body missed its deadline): nothing is forwarded.
      if (!response.writableEnded) loaded(request, response, next);
    }, next);
  };
}

function createProxy({ createProxyMiddleware, proxyEventsPlugin }: typeof import('http-proxy-middleware'), options: PassthroughRouteOptions): RequestHandler {
  const stripped = [...new Set([...CLIENT_KEY_HEADERS, ...options.keyHeaders.map((name) => name.toLowerCase())])];
  const proxy = createProxyMiddleware<IncomingMessage, ServerResponse>({
    target: `${options.target}/passthrough`,
    changeOrigin: true,
    xfwd: false,
    selfHandleResponse: false,
    ejectPlugins: true,
    plugins: [proxyEventsPlugin],
    on: {
      proxyReq(proxyRequest, request, response) {
        for (const name of stripped) proxyRequest.removeHeader(name);
        const requestId = locals(response).requestId;
        if (typeof requestId === 'string') proxyRequest.setHeader('x-request-id', requestId);
        // A client that goes away, or whose body missed its deadline (answered 408), cancels the upstream call at once.
        response.once('close', () => {
          if (!response.writableFinished || !request.complete) proxyRequest.destroy();
        });
      },
      proxyRes(proxyResponse, _request, response) {
        const usageMeter = locals(response).usageMeter as UsageMeter | undefined;
        if (!usageMeter) return;
        const meter = new PassthroughUsageMeter(header(proxyResponse.headers['content-type']), header(proxyResponse.headers['content-encoding']));
        usageMeter.engage(meter.streamed);
        if (meter.streamed) usageMeter.streamOpened();
        proxyResponse.once('data', () => usageMeter.observe({ type: 'text-delta', text: '' }));
        if (meter.metered) proxyResponse.on('data', (chunk: Buffer) => meter.push(chunk));
        // Registered before the response is piped on, so the counts are in before the client's response closes.
        proxyResponse.once('end', () => {
          const usage = meter.finish();
          const route = { provider: header(proxyResponse.headers['x-nachos-provider']) ?? '', endpoint: header(proxyResponse.headers['x-nachos-endpoint']) ?? '' };
          usageMeter.observe({ type: 'start', id: String(locals(response).requestId ?? ''), model: usage?.model ?? '', ...route, attempts: 1 });
          if (usage) usageMeter.observe({ type: 'usage', usage: { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens } });
        });
      },
      error(error, _request, socketOrResponse) {
        options.logger.warn('pass-through to llm-proxy failed', { error: error.message });
        if (!('writeHead' in socketOrResponse)) return socketOrResponse.destroy();
        const response = socketOrResponse as ServerResponse;
        if (response.headersSent) return response.destroy();
        response.writeHead(502, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { type: 'unavailable', message: 'llm-proxy could not be reached for this pass-through request.' } }));
      },
    },
  });
  return proxy as unknown as RequestHandler;
}

function locals(response: ServerResponse): Record<string, unknown> {
  return (response as unknown as Response).locals ?? {};
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
