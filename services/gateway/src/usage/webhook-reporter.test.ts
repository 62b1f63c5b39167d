import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@nachos/common';
import { Secret } from '@nachos/plugin-sdk';
import type { UsageRecord } from './usage-record.js';
import { WebhookReporter, type WebhookReporterOptions } from './webhook-reporter.js';

const logger = createLogger({ service: 'test', env: { LOG_LEVEL: 'error' }, isTerminal: false });

function record(id: string): UsageRecord {
  return { request_id: id, total_tokens: 3 } as UsageRecord;
}

interface Receiver {
  url: string;
  batches: Array<{ ids: string[]; authorization: string | undefined }>;
  /** Statuses to answer with, in order; 200 once they run out. */
  statuses: number[];
  close: () => Promise<void>;
}

/** Every receiver a test started, closed after it even when an assertion failed. */
const receivers: Receiver[] = [];

async function startReceiver(statuses: number[] = []): Promise<Receiver> {
  const batches: Receiver['batches'] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const status = statuses.shift() ?? 200;
      const parsed = JSON.parse(body) as UsageRecord[] | UsageRecord;
      const items = Array.isArray(parsed) ? parsed : [{ ...parsed, request_id: `object:${parsed.request_id}` }];
      if (status === 200) batches.push({ ids: items.map((item) => item.request_id), authorization: request.headers.authorization });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const receiver: Receiver = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/usage`,
    batches,
    statuses,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  receivers.push(receiver);
  return receiver;
}

function reporter(url: string, overrides: Partial<WebhookReporterOptions> = {}) {
  const results: Array<[string, number]> = [];
  const instance = new WebhookReporter({
    name: 'billing',
    url,
    token: undefined,
    timeoutMs: 1_000,
    batchSize: 3,
    format: 'array',
    flushIntervalMs: 50,
    maxQueue: 100,
    maxRetries: 3,
    backoffBaseMs: 10,
    logger,
    onResult: (result, count) => results.push([result, count]),
    ...overrides,
  });
  return { instance, results };
}

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('WebhookReporter', () => {
  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
  });

  it('posts full batches at once and a partial batch after the flush interval, with the bearer token', async () => {
    const receiver = await startReceiver();
    const { instance, results } = reporter(receiver.url, { token: new Secret('whk-token') });
    for (const id of ['a', 'b', 'c', 'd']) instance.report(record(id));
    await until(() => results.length === 2);
    expect(receiver.batches.map((batch) => batch.ids)).toEqual([['a', 'b', 'c'], ['d']]);
    expect(receiver.batches[0]?.authorization).toBe('Bearer whk-token');
    expect(results).toEqual([['sent', 3], ['sent', 1]]);
  });

  it('posts each record as one JSON object when the format is object', async () => {
    const receiver = await startReceiver();
    const { instance, results } = reporter(receiver.url, { format: 'object', batchSize: 1 });
    for (const id of ['a', 'b']) instance.report(record(id));
    await until(() => results.length === 2);
    expect(receiver.batches.map((batch) => batch.ids)).toEqual([['object:a'], ['object:b']]);
  });

  it('retries a batch the receiver failed, with backoff, and keeps order', async () => {
    const receiver = await startReceiver([503, 500]);
    const { instance, results } = reporter(receiver.url);
    for (const id of ['a', 'b', 'c']) instance.report(record(id));
    await until(() => results.length === 1);
    expect(receiver.batches[0]?.ids).toEqual(['a', 'b', 'c']);
    expect(results).toEqual([['sent', 3]]);
  });

  it('gives up on a batch after its retries, and at once on a 4xx refusal', async () => {
    const failing = await startReceiver([500, 500, 500, 500]);
    const first = reporter(failing.url, { maxRetries: 3 });
    for (const id of ['a', 'b', 'c']) first.instance.report(record(id));
    await until(() => first.results.length === 1);
    expect(first.results).toEqual([['failed', 3]]);
    expect(failing.statuses).toEqual([]);

    const refusing = await startReceiver([400, 200]);
    const second = reporter(refusing.url);
    for (const id of ['a', 'b', 'c']) second.instance.report(record(id));
    await until(() => second.results.length === 1);
    expect(second.results).toEqual([['failed', 3]]);
    expect(refusing.statuses).toEqual([200]);
  });

  it('never blocks the caller and drops the oldest records beyond its queue', async () => {
    const { instance, results } = reporter('http://127.0.0.1:9/unreachable', { maxQueue: 5, batchSize: 100, flushIntervalMs: 60_000 });
    const started = performance.now();
    for (let index = 0; index < 12; index += 1) instance.report(record(String(index)));
    expect(performance.now() - started).toBeLessThan(50);
    expect(results).toEqual([['dropped', 1], ['dropped', 1], ['dropped', 1], ['dropped', 1], ['dropped', 1], ['dropped', 1], ['dropped', 1]]);
  });

  it('sends what is queued when closed', async () => {
    const receiver = await startReceiver();
    const { instance } = reporter(receiver.url, { batchSize: 10, flushIntervalMs: 60_000 });
    instance.report(record('late'));
    await instance.close(2_000);
    expect(receiver.batches.map((batch) => batch.ids)).toEqual([['late']]);
  });
});
