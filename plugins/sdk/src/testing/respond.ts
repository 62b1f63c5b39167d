import type { ServerResponse } from 'node:http';

/** Answers with a JSON body (an upstream success or a recorded error body). */
export function respondWithJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(text);
}

/**
 * Streams a recorded body (SSE or NDJSON) in pieces, flushing each one, so that the plugin meets the
 * chunk boundaries a real network would produce.
 */
export async function respondWithStream(
  response: ServerResponse,
  body: string | Uint8Array,
  options: { contentType?: string; chunkSize?: number; delayMs?: number } = {},
): Promise<void> {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
  const chunkSize = options.chunkSize ?? 64;
  response.writeHead(200, { 'content-type': options.contentType ?? 'text/event-stream; charset=utf-8' });
  for (let offset = 0; offset < bytes.length; offset += chunkSize) {
    if (response.destroyed) {
      return;
    }
    response.write(bytes.subarray(offset, offset + chunkSize));
    if (options.delayMs !== undefined && options.delayMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    }
  }
  response.end();
}

/**
 * Sends the status and headers, then some first bytes, and never finishes: the shape of an upstream
 * that hangs mid-answer. The test's abort or timeout must end the call.
 */
export function respondWithStall(response: ServerResponse, firstBytes: string | Uint8Array = '', contentType = 'text/event-stream'): void {
  response.writeHead(200, { 'content-type': contentType });
  if (firstBytes.length > 0) {
    response.write(firstBytes);
  } else {
    response.flushHeaders();
  }
}
