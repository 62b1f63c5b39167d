import { findPrivateUrlProblem, type ImageSource, ProviderError, UpstreamCallSignal } from '@nachos/plugin-sdk';

export interface ReadImageOptions {
  /** The provider context's `fetch`. */
  fetch: typeof globalThis.fetch;
  /** The call's signal: a client that goes away stops the download too. */
  signal: AbortSignal;
  /** Whether http(s) URLs may be downloaded at all (the operator may forbid it). */
  fetchUrls: boolean;
  maxBytes: number;
  providerId: string;
  /** Whether the URL may point at private, loopback or link-local addresses. */
  allowPrivateNetworks: boolean;
}

/**
 * An image as the bare base64 Ollama wants in `message.images`: base64 sources as they are, `data:`
 * URLs without their prefix, http(s) URLs downloaded and encoded, because Ollama cannot fetch them
 * itself.
 *
 * Failures are the client's (`invalid_request`), except a cancelled call. Messages name the image's
 * host only: a signed URL's query is a credential.
 */
export async function readImageAsBase64(source: ImageSource, options: ReadImageOptions): Promise<string> {
  if (source.kind === 'base64') {
    return stripDataUrlPrefix(source.data);
  }
  const url = source.url.trim();
  if (/^data:/i.test(url)) {
    const match = DATA_URL.exec(url);
    if (match?.[1] === undefined) {
      throw invalidImage('is a data URL that is not base64-encoded', options.providerId);
    }
    return match[1];
  }
  if (!/^https?:\/\//i.test(url)) {
    throw invalidImage('must be an http(s) or base64 data URL', options.providerId);
  }
  if (!options.fetchUrls) {
    throw invalidImage('is a URL, and this endpoint does not download images (send it as base64)', options.providerId);
  }
  const problem = options.allowPrivateNetworks ? undefined : await findPrivateUrlProblem(url);
  if (problem !== undefined) throw invalidImage(problem, options.providerId);
  return downloadAsBase64(url, options);
}

/** `data:[<media type>][;params];base64,<data>`; the media type may be empty (`data:;base64,`). */
const DATA_URL = /^data:[^,]*;base64,(.*)$/is;

function stripDataUrlPrefix(data: string): string {
  return DATA_URL.exec(data)?.[1] ?? data;
}

async function downloadAsBase64(url: string, options: ReadImageOptions): Promise<string> {
  const host = new URL(url).host;
  const call = new UpstreamCallSignal(options.signal, IMAGE_TIMEOUT_MS, options.providerId);
  try {
    const response = await options.fetch(url, { signal: call.signal, headers: { accept: 'image/*' } });
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw invalidImage(`from ${host} could not be downloaded (HTTP ${response.status})`, options.providerId);
    }
    const contentType = response.headers.get('content-type');
    if (contentType !== null && !/^(image\/|application\/octet-stream)/i.test(contentType)) {
      await response.body?.cancel().catch(() => undefined);
      throw invalidImage(`from ${host} is not an image (${contentType.split(';')[0] ?? contentType})`, options.providerId);
    }
    const declaredLength = Number(response.headers.get('content-length') ?? Number.NaN);
    if (declaredLength > options.maxBytes) {
      await response.body?.cancel().catch(() => undefined);
      throw tooLarge(host, options);
    }
    return (await readCapped(response, host, options)).toString('base64');
  } catch (error) {
    if (ProviderError.isInstance(error) && error.kind === 'invalid_request') {
      throw error;
    }
    const failure = call.failure(error);
    if (failure.kind === 'cancelled') {
      throw failure;
    }
    throw invalidImage(`from ${host} could not be downloaded: ${failure.message}`, options.providerId);
  } finally {
    call.dispose();
  }
}

async function readCapped(response: Response, host: string, options: ReadImageOptions): Promise<Buffer> {
  if (response.body === null) {
    return Buffer.alloc(0);
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        return Buffer.concat(chunks);
      }
      received += value.byteLength;
      if (received > options.maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge(host, options);
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
}

function tooLarge(host: string, options: ReadImageOptions): ProviderError {
  return invalidImage(`from ${host} is larger than ${options.maxBytes} bytes`, options.providerId);
}

function invalidImage(problem: string, providerId: string): ProviderError {
  return new ProviderError({ kind: 'invalid_request', message: `an image ${problem}`, providerId });
}

/** A slow image host must not eat the whole call's budget. */
const IMAGE_TIMEOUT_MS = 30_000;
