import type { Request } from 'express';

/** Longest end-user id taken from a request; longer ones are cut (they only key limits and records). */
const MAX_USER_LENGTH = 256;

/**
 * The model a request names, in any protocol: `model` in a POST body (Ollama's older `name` too).
 * Undefined for requests that name none; listings are filtered by the client instead.
 */
export function readRequestedModel(request: Request): string | undefined {
  const body = request.body as Record<string, unknown> | undefined;
  if (request.method === 'POST' && typeof body === 'object' && body !== null) {
    const model = typeof body.model === 'string' ? body.model : typeof body.name === 'string' ? body.name : undefined;
    if (model && model.trim() !== '') return model.trim();
  }
  return undefined;
}

/**
 * The end user a request names, for per-user limits and usage: OpenAI's `user`, Anthropic's
 * `metadata.user_id`, or the `[auth] user_header` header, lower case (`x-user-id`; for clients such as
 * Ollama's that have no field for it, and gateways such as Nexus that name users by header).
 */
export function readEndUser(request: Request, userHeader: string): string | undefined {
  const body = request.body as Record<string, unknown> | undefined;
  const metadata = typeof body === 'object' && body !== null ? (body.metadata as Record<string, unknown> | undefined) : undefined;
  const header = request.headers[userHeader];
  const candidates = [
    typeof body === 'object' && body !== null ? body.user : undefined,
    typeof metadata === 'object' && metadata !== null ? metadata.user_id : undefined,
    Array.isArray(header) ? header[0] : header,
  ];
  const user = candidates.find((value): value is string => typeof value === 'string' && value.trim() !== '');
  return user?.trim().slice(0, MAX_USER_LENGTH);
}
