import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/** Meaningful for one connection only (RFC 9110 §7.6.1), never forwarded. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/**
 * Headers that carry a caller's credentials or say where the caller is. The gateway already took its own
 * key off; these go too, so that nothing a client sent can stand in for, or sit beside, the endpoint's key.
 */
const CLIENT_ONLY = new Set([
  'host',
  'authorization',
  'x-api-key',
  'api-key',
  'x-goog-api-key',
  'x-provider-api-key',
  'cookie',
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-forwarded-port',
  'x-real-ip',
]);

/** The client's request headers as sent upstream: without hop-by-hop, credential and address headers. */
export function forwardedRequestHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || CLIENT_ONLY.has(name) || name.startsWith('x-nachos-')) continue;
    kept[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return kept;
}

/** The upstream's response headers as sent back: everything but the hop-by-hop ones. */
export function forwardedResponseHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const kept: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) kept[name] = value;
  }
  return kept;
}
