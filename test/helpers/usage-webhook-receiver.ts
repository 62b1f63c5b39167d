import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedBatch {
  headers: IncomingHttpHeaders;
  records: Array<Record<string, unknown>>;
  /** Whether the body was one JSON object (one record per request) rather than an array. */
  single: boolean;
}

export interface UsageWebhookReceiver {
  url: string;
  /** Batches accepted (2xx), in arrival order. */
  batches: ReceivedBatch[];
  /** Every record accepted so far. */
  records: () => Array<Record<string, unknown>>;
  /** Every raw body received, accepted or not, for secret checks. */
  rawBodies: string[];
  /** Answers the next `count` deliveries with `status` (to exercise retries). */
  failNext: (count: number, status?: number) => void;
  /** Resolves once a record matching `predicate` has arrived. */
  waitFor: (predicate: (record: Record<string, unknown>) => boolean, timeoutMs?: number) => Promise<Record<string, unknown>>;
  close: () => Promise<void>;
}

/** A billing receiver: a real HTTP server that takes the gateway's usage webhook batches (JSON arrays) or single records. */
export async function startUsageWebhookReceiver(): Promise<UsageWebhookReceiver> {
  const batches: ReceivedBatch[] = [];
  const rawBodies: string[] = [];
  const failures = { count: 0, status: 503 };
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      rawBodies.push(body);
      if (failures.count > 0) {
        failures.count -= 1;
        response.writeHead(failures.status).end();
        return;
      }
      const parsed = JSON.parse(body) as Array<Record<string, unknown>> | Record<string, unknown>;
      const single = !Array.isArray(parsed);
      batches.push({ headers: request.headers, records: single ? [parsed] : parsed, single });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const records = () => batches.flatMap((batch) => batch.records);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/usage`,
    batches,
    records,
    rawBodies,
    failNext: (count, status = 503) => {
      failures.count = count;
      failures.status = status;
    },
    waitFor: async (predicate, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const found = records().find(predicate);
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error(`no matching usage record within ${timeoutMs} ms; received: ${JSON.stringify(records())}`);
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
