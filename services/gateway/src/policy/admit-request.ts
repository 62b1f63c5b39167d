import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Caller } from '../auth/caller.js';
import { inferProtocol } from '../auth/infer-protocol.js';
import { isModelAllowed } from '../auth/model-access.js';
import { GatewayError } from '../errors/gateway-error.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import type { Admission } from '../rate-limit/admission.js';
import { rateLimitHeaders } from '../rate-limit/rate-limit-headers.js';
import { RateLimitRefusal, type RateLimiter } from '../rate-limit/rate-limiter.js';
import { UsageMeter } from '../usage/usage-meter.js';
import type { UsageSink } from '../usage/usage-sink.js';
import { estimateBodyTokens } from './estimate-body-tokens.js';
import type { HeaderForwarding } from './header-forwarding.js';
import { OpenStreamGauge } from './open-stream-gauge.js';
import { readEndUser, readRequestedModel } from './read-request-facts.js';
import type { RequestScope } from './request-scope.js';

export interface AdmitRequestOptions {
  limiter: RateLimiter;
  headerForwarding: HeaderForwarding;
  sink: UsageSink;
  metrics: GatewayMetrics;
  /** The header naming the end user (`[auth] user_header`), lower case. */
  userHeader: string;
}

/**
 * Runs after authentication and body parsing, before any router: refuses a model the key may not use
 * (403), decides every rate limit in one step (429 with `Retry-After`, `x-ratelimit-*` on every answer),
 * starts the request's usage meter and keeps its {@link RequestScope} on the response for the routes. When the response closes, the
 * limits are settled with real usage and the usage record is sent on, whatever the outcome.
 */
export function admitRequest(options: AdmitRequestOptions): RequestHandler {
  return (request, response, next) => {
    const caller = response.locals.caller as Caller | undefined;
    if (!caller) return next();
    const model = readRequestedModel(request);
    const user = readEndUser(request, options.userHeader);
    const protocol = inferProtocol(request, response);
    const estimate = model === undefined ? { inputTokens: 0, totalTokens: 0 } : estimateBodyTokens(request.body, options.limiter.policy.estimatedOutputTokens);
    const meter = createMeter(request, response, { caller, model, user, protocol, estimatedInputTokens: estimate.inputTokens }, options.metrics);
    let admission: Admission | undefined;
    let closed = false;
    // A response closes once: `on` spares the wrapper `once` makes and its removal when it fires.
    response.on('close', () => {
      closed = true;
      admission?.finish(meter.usage());
      const failure = response.locals.failure as { kind?: string } | undefined;
      const streamError = response.locals.streamError as { clientError?: { kind?: string } } | undefined;
      const record = meter.finish({
        protocol: response.locals.protocol as string | undefined,
        status: response.statusCode,
        errorKind: failure?.kind ?? streamError?.clientError?.kind,
        clientClosed: !response.writableFinished,
      });
      if (record) options.sink.record(record);
    });
    if (model !== undefined && !isModelAllowed(caller.models, model)) {
      meter.refuse();
      options.metrics.authFailed('model_not_allowed');
      response.locals.protocol = protocol;
      throw new GatewayError({ kind: 'permission', message: `This key may not use the model '${model}'.`, param: 'model', code: 'model_not_allowed' });
    }
    let admitted: Admission | Promise<Admission>;
    try {
      admitted = options.limiter.admit({ caller, model, user, estimate });
    } catch (error) {
      throw refused(error, response, meter, model, protocol);
    }
    if (!(admitted instanceof Promise)) {
      admission = admitted;
      return proceed(admitted, request, response, next, options.headerForwarding, caller, meter);
    }
    // Express passes the promise's rejection on as the request's error.
    return admitted.then(
      (decided) => {
        admission = decided;
        // A client gone while its request was being admitted must not keep the slot it was just given.
        if (closed) return decided.finish(undefined);
        proceed(decided, request, response, next, options.headerForwarding, caller, meter);
      },
      (error: unknown) => {
        throw refused(error, response, meter, model, protocol);
      },
    );
  };
}

/** An admitted request: its limit headers, what it forwards upstream, and its scope for the routes. */
function proceed(admission: Admission, request: Request, response: Response, next: NextFunction, headerForwarding: HeaderForwarding, caller: Caller, meter: UsageMeter): void {
  if (admission.decision.states.length > 0) response.set(rateLimitHeaders(admission.decision.states));
  const forwardedHeaders = headerForwarding.select(request.headers, caller.keyHeader);
  response.locals.scope = { caller, forwardedHeaders, meter } satisfies RequestScope;
  next();
}

/** A request the limits refused (or could not decide): metered as refused, answered with the limits' state. */
function refused(error: unknown, response: Response, meter: UsageMeter, model: string | undefined, protocol: string): unknown {
  if (model !== undefined) meter.refuse();
  if (error instanceof RateLimitRefusal) response.set(rateLimitHeaders(error.admission.decision.states));
  response.locals.protocol ??= protocol;
  return error;
}

function createMeter(
  request: Request,
  response: Response,
  facts: { caller: Caller; model: string | undefined; user: string | undefined; protocol: string; estimatedInputTokens: number },
  metrics: GatewayMetrics,
): UsageMeter {
  const url = request.originalUrl;
  const query = url.indexOf('?');
  const meter = new UsageMeter(
    {
      requestId: response.locals.requestId as string,
      keyName: facts.caller.keyName,
      user: facts.user,
      protocol: facts.protocol,
      path: query === -1 ? url : url.slice(0, query),
      requestedModel: facts.model,
      isStream: (request.body as { stream?: unknown } | undefined)?.stream === true,
      estimatedInputTokens: facts.estimatedInputTokens,
    },
    new OpenStreamGauge(response, metrics, facts.protocol),
  );
  response.locals.usageMeter = meter;
  return meter;
}
