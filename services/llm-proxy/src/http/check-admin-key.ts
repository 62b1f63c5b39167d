import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Secret } from '@nachos/plugin-sdk';

/**
 * Whether a request carries the admin key (`Authorization: Bearer …` or `X-API-Key`), compared in
 * constant time over digests so neither the content nor the length leaks through timing.
 */
export function hasAdminKey(request: IncomingMessage, adminKey: Secret): boolean {
  const header = request.headers.authorization;
  const given = typeof header === 'string' && /^bearer /i.test(header) ? header.slice(7).trim() : request.headers['x-api-key'];
  if (typeof given !== 'string' || given === '') return false;
  return timingSafeEqual(digest(given), digest(adminKey.reveal()));
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
