import type { Request, RequestHandler, Response } from 'express';
import { Secret } from '@nachos/plugin-sdk';
import { GatewayError } from '../errors/gateway-error.js';
import { ANONYMOUS_CALLER, type Caller } from './caller.js';
import type { FailedAttemptGuard } from './failed-attempt-guard.js';
import { inferProtocol } from './infer-protocol.js';
import type { KeyRing } from './key-ring.js';
import { readPresentedKey } from './read-presented-key.js';

export type AuthFailure = 'missing' | 'invalid' | 'throttled';

export interface AuthenticateOptions {
  keyRing: KeyRing;
  /** `[auth] enabled`; with an empty key ring the gateway serves openly either way. */
  enabled: boolean;
  headerNames: readonly string[];
  skipPaths: ReadonlySet<string>;
  guard: FailedAttemptGuard;
  /**
   * The header a caller's own provider key (BYOK) comes in (`[auth] provider_key_header`, lower case), when
   * some provider takes callers' own keys (`forward_token = true`); otherwise none is read.
   */
  providerKeyHeader: string | undefined;
  onFailure: (reason: AuthFailure) => void;
}

/** One message for a missing and a wrong key, so a response never says which it was. */
const UNAUTHENTICATED = 'A valid gateway API key is required (Authorization: Bearer <key>, or x-api-key).';

/**
 * Establishes `response.locals.caller` for every path not in `skip_paths`, or refuses the request with a
 * 401 in the caller's protocol (429 once its address has failed too often). Runs before the body is read,
 * so an unauthenticated caller costs no parsing.
 */
export function authenticate(options: AuthenticateOptions): RequestHandler {
  const required = options.enabled && options.keyRing.size > 0;
  // Synchronous but for a failed key check, which waits on the guard: a caller let through costs no promise.
  return (request, response, next) => {
    if (options.skipPaths.has(request.path)) return next();
    if (!required) {
      try {
        response.locals.caller = openCaller(request, options);
      } catch (error) {
        response.locals.protocol = inferProtocol(request, response);
        throw error;
      }
      return next();
    }
    const address = request.ip ?? 'unknown';
    const blockedMs = options.guard.blockedFor(address);
    if (blockedMs > 0) return refuse(request, response, tooManyFailures(blockedMs), options, 'throttled');
    const presented = readPresentedKey(request.headers, options.headerNames);
    const key = presented ? options.keyRing.find(presented.value) : undefined;
    if (!presented || !key) {
      // Express passes the promise's rejection on as the request's error.
      return options.guard.recordFailure(address).then((waitMs) => {
        // Answered while the failure was being counted (a 408 once its body missed its deadline): it is over.
        if (response.writableEnded) return;
        const error = waitMs > 0 ? tooManyFailures(waitMs) : new GatewayError({ kind: 'authentication', message: UNAUTHENTICATED, code: 'invalid_api_key' });
        refuse(request, response, error, options, presented ? 'invalid' : 'missing');
      });
    }
    const caller: Caller = {
      keyName: key.name,
      models: key.models,
      limits: key.limits,
      keyHeader: presented.header,
      providerKey: undefined,
    };
    try {
      caller.providerKey = options.providerKeyHeader ? headerSecret(request, options.providerKeyHeader) : undefined;
    } catch (error) {
      response.locals.protocol = inferProtocol(request, response);
      throw error;
    }
    response.locals.caller = caller;
    next();
  };
}

/**
 * Without gateway keys anyone may call. A caller's own provider key still comes only in its own header
 * (X-Provider-API-Key): what an SDK sends in its usual auth header is often a placeholder (`not-used`)
 * that must never reach a provider as a key.
 */
function openCaller(request: Request, options: AuthenticateOptions): Caller {
  return {
    keyName: ANONYMOUS_CALLER,
    models: undefined,
    limits: {},
    keyHeader: undefined,
    providerKey: options.providerKeyHeader ? headerSecret(request, options.providerKeyHeader) : undefined,
  };
}

function headerSecret(request: Request, header: string): Secret | undefined {
  const raw = request.headers[header];
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  return value ? providerKey(value) : undefined;
}

/** A provider key travels in gRPC metadata, which takes printable ASCII only; anything else is refused, never dropped silently. */
function providerKey(value: string): Secret {
  if (!/^[\x21-\x7e]+$/.test(value)) {
    throw new GatewayError({ kind: 'invalid_request', message: 'The provider API key holds characters no API key has.', code: 'invalid_provider_key' });
  }
  return new Secret(value);
}

function tooManyFailures(retryAfterMs: number): GatewayError {
  return new GatewayError({
    kind: 'rate_limited',
    message: 'Too many failed key checks from this address; try again later.',
    code: 'rate_limit_exceeded',
    retryAfterMs,
  });
}

function refuse(request: Request, response: Response, error: GatewayError, options: AuthenticateOptions, reason: AuthFailure): void {
  options.onFailure(reason);
  response.locals.protocol = inferProtocol(request, response);
  throw error;
}
