import type { IncomingHttpHeaders } from 'node:http';

/** A credential found on a request, and the header it came in. */
export interface PresentedKey {
  header: string;
  value: string;
}

/**
 * The first credential among `headerNames`, in order: `Authorization` gives the value after `Bearer `
 * (or the whole value when a client sends it bare), every other header its whole value. Each SDK uses its
 * own header (OpenAI `Authorization`, Anthropic `x-api-key`, Azure `api-key`, Gemini `x-goog-api-key`).
 */
export function readPresentedKey(headers: IncomingHttpHeaders, headerNames: readonly string[]): PresentedKey | undefined {
  for (const name of headerNames) {
    const header = name.toLowerCase();
    const raw = headers[header];
    const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
    if (!value) continue;
    const key = header === 'authorization' ? value.replace(/^bearer(\s+|$)/i, '').trim() : value;
    if (key !== '') return { header, value: key };
  }
  return undefined;
}
