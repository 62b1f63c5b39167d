import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake upstream received, as the provider would have seen it. */
export interface RecordedRequest {
  method: string;
  /** Path and query, as sent (`/v1/chat/completions`). */
  url: string;
  /** Lower-case header names, as Node reports them. */
  headers: IncomingHttpHeaders;
  body: string;
  /** The body parsed as JSON (throws if it is not). */
  json(): unknown;
}

export type FakeUpstreamHandler = (request: RecordedRequest, response: ServerResponse) => void | Promise<void>;

export interface FakeUpstream {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  url: string;
  /** Every request received so far, in order. */
  requests: RecordedRequest[];
  /** Stops the server, cutting any connection still open (a stalled stream, say). */
  close(): Promise<void>;
}

/**
 * Starts a real HTTP server on 127.0.0.1 and a free port that stands in for a provider. It records
 * what the plugin sent (method, path, headers, body) and lets the handler answer however the test
 * needs: a recorded fixture, an error status, a stream that stalls.
 */
export async function startFakeUpstream(handler: FakeUpstreamHandler): Promise<FakeUpstream> {
  const requests: RecordedRequest[] = [];
  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedRequest = {
        method: incoming.method ?? 'GET',
        url: incoming.url ?? '/',
        headers: incoming.headers,
        body,
        json: () => JSON.parse(body) as unknown,
      };
      requests.push(recorded);
      Promise.resolve(handler(recorded, response)).catch((error: unknown) => {
        if (!response.headersSent) {
          response.writeHead(500, { 'content-type': 'text/plain' });
        }
        response.end(`fake upstream handler failed: ${String(error)}`);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      }),
  };
}
