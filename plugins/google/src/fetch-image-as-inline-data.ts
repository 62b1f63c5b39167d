import { findPrivateUrlProblem, ProviderError } from '@nachos/plugin-sdk';
import type { GeminiInlineData } from './gemini-api-types.js';
import { GOOGLE_PLUGIN_ID } from './google-plugin-id.js';

export interface ImageFetchOptions {
  fetch: typeof globalThis.fetch;
  /** The call's signal: a client that goes away stops the download too. */
  signal: AbortSignal;
  maxBytes: number;
  /** Budget for the download; 0 means none beyond the call's signal. */
  timeoutMs: number;
  /** Whether the URL may point at private, loopback or link-local addresses. */
  allowPrivateNetworks: boolean;
}

/**
 * Downloads an image a client gave by http(s) URL and returns it inline, because Gemini reads only
 * inline data and its own file URIs. The download is size-capped (the declared length is checked
 * first, then the bytes as they arrive) and bounded by the call's signal and a timeout.
 *
 * Failures are the client's (`invalid_request`), except an abort by the caller (`cancelled`).
 * Messages name the URL without its query, which may hold a signature.
 */
export async function fetchImageAsInlineData(url: string, options: ImageFetchOptions): Promise<GeminiInlineData> {
  const signal = options.timeoutMs > 0 ? AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]) : options.signal;
  const shown = describeUrl(url);
  const fail = (problem: string, cause?: unknown): ProviderError =>
    options.signal.aborted
      ? new ProviderError({ kind: 'cancelled', message: 'the caller cancelled the request', providerId: GOOGLE_PLUGIN_ID, cause })
      : new ProviderError({ kind: 'invalid_request', message: `image ${shown}: ${problem}`, providerId: GOOGLE_PLUGIN_ID, cause });

  const problem = options.allowPrivateNetworks ? undefined : await findPrivateUrlProblem(url);
  if (problem !== undefined) throw fail(problem);
  let response: Response;
  try {
    response = await options.fetch(url, { signal, headers: { accept: 'image/*' } });
  } catch (error) {
    throw fail(signal.aborted ? 'the download did not finish in time' : 'could not be fetched', error);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw fail(`the server answered HTTP ${response.status}`);
  }
  const declaredType = (response.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  // Object stores often label images `application/octet-stream`; the file name then tells.
  const mimeType = declaredType.startsWith('image/') ? declaredType : guessImageType(url);
  if (mimeType === undefined) {
    await response.body?.cancel().catch(() => undefined);
    throw fail(`the server sent ${declaredType === '' ? 'no content type' : declaredType}, not an image`);
  }
  if (Number(response.headers.get('content-length') ?? 0) > options.maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw fail(`larger than ${options.maxBytes} bytes`);
  }
  const chunks: Uint8Array[] = [];
  let received = 0;
  try {
    for await (const chunk of response.body ?? []) {
      received += chunk.byteLength;
      if (received > options.maxBytes) {
        throw fail(`larger than ${options.maxBytes} bytes`);
      }
      chunks.push(chunk);
    }
  } catch (error) {
    throw ProviderError.isInstance(error) ? error : fail(signal.aborted ? 'the download did not finish in time' : 'the download broke off', error);
  }
  return { mimeType, data: Buffer.concat(chunks).toString('base64') };
}

const IMAGE_TYPES_BY_EXTENSION: ReadonlyMap<string, string> = new Map([
  ['png', 'image/png'],
  ['jpg', 'image/jpeg'],
  ['jpeg', 'image/jpeg'],
  ['gif', 'image/gif'],
  ['webp', 'image/webp'],
  ['heic', 'image/heic'],
  ['heif', 'image/heif'],
]);

function guessImageType(url: string): string | undefined {
  const extension = /\.([a-z0-9]+)$/i.exec(new URL(url).pathname)?.[1]?.toLowerCase();
  return extension === undefined ? undefined : IMAGE_TYPES_BY_EXTENSION.get(extension);
}

function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return 'URL';
  }
}
