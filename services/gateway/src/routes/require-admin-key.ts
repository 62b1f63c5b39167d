import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Secret } from '@nachos/plugin-sdk';
import { sendAdminError } from './send-admin-error.js';

/**
 * Lets a request through only with the admin key (`Authorization: Bearer …` or `X-API-Key`), compared in
 * constant time over digests so neither its content nor its length leaks through timing. Without a
 * configured key the admin API is closed (403), never open by accident.
 */
export function requireAdminKey(adminKey: Secret | undefined): RequestHandler {
  const expected = adminKey ? digest(adminKey.reveal()) : undefined;
  return (request, response, next) => {
    if (!expected) return sendAdminError(response, 403, 'permission', 'The admin API is disabled: set NACHOS_ADMIN_KEY.');
    const header = request.headers.authorization;
    const given = typeof header === 'string' && /^bearer /i.test(header) ? header.slice(7).trim() : request.headers['x-api-key'];
    if (typeof given !== 'string' || given === '' || !timingSafeEqual(digest(given), expected)) {
      return sendAdminError(response, 401, 'authentication', 'The admin key is required (Authorization: Bearer <NACHOS_ADMIN_KEY>).');
    }
    next();
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
