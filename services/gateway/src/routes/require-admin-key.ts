import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Secret } from '@nachos/plugin-sdk';
import type { FailedAttemptGuard } from '../auth/failed-attempt-guard.js';
import { sendAdminError } from './send-admin-error.js';

/**
 * Lets a request through only with the admin key (`Authorization: Bearer …` or `X-API-Key`), compared in
 * constant time over digests so neither its content nor its length leaks through timing. Without a
 * configured key the admin API is closed (403), never open by accident. With a guard, an address that
 * keeps presenting wrong admin keys is refused with 429 before any key is compared.
 */
export function requireAdminKey(adminKey: Secret | undefined, guard?: FailedAttemptGuard): RequestHandler {
  const expected = adminKey ? digest(adminKey.reveal()) : undefined;
  return async (request, response, next) => {
    if (!expected) return sendAdminError(response, 403, 'permission', 'The admin API is disabled: set NACHOS_ADMIN_KEY.');
    const address = request.ip ?? 'unknown';
    const blockedMs = guard?.blockedFor(address) ?? 0;
    if (blockedMs > 0) return tooManyFailures(response, blockedMs);
    const header = request.headers.authorization;
    const given = typeof header === 'string' && /^bearer /i.test(header) ? header.slice(7).trim() : request.headers['x-api-key'];
    if (typeof given !== 'string' || given === '' || !timingSafeEqual(digest(given), expected)) {
      const waitMs = guard ? await guard.recordFailure(address) : 0;
      if (waitMs > 0) return tooManyFailures(response, waitMs);
      return sendAdminError(response, 401, 'authentication', 'The admin key is required (Authorization: Bearer <NACHOS_ADMIN_KEY>).');
    }
    next();
  };
}

function tooManyFailures(response: Parameters<RequestHandler>[1], waitMs: number): void {
  response.setHeader('retry-after', String(Math.max(1, Math.ceil(waitMs / 1000))));
  sendAdminError(response, 429, 'rate_limit_error', 'Too many failed admin key checks from this address; try again later.');
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
