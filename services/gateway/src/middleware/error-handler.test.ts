import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Logger } from '@nachos/common';
import { errorHandler } from './error-handler.js';

interface Ended {
  status: number;
  failure: unknown;
  wrote: boolean;
}

/** An app reading JSON bodies as the gateway's fallback parser does, recording how each request ended. */
function serve(logged: unknown[], ended: Ended[]): http.Server {
  const logger = { error: (...entry: unknown[]) => logged.push(entry), isLevelEnabled: () => true } as unknown as Logger;
  const app = express();
  app.use((_request, response, next) => {
    response.on('close', () => ended.push({ status: response.statusCode, failure: response.locals.failure, wrote: response.headersSent }));
    next();
  });
  app.post('/short', (_request, _response, next) => {
    next(Object.assign(new Error('request size did not match content length'), { type: 'request.size.invalid', status: 400 }));
  });
  app.use(express.json({ limit: '64b', type: () => true }));
  app.post('/', (request, response) => {
    response.json(request.body);
  });
  app.use(errorHandler(logger));
  return app.listen(0, '127.0.0.1');
}

describe('errorHandler', () => {
  const logged: unknown[] = [];
  const ended: Ended[] = [];
  let server: http.Server;
  let url: string;

  beforeAll(async () => {
    server = serve(logged, ended);
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.close();
    await once(server, 'close');
  });

  beforeEach(() => {
    logged.length = 0;
  });

  it('answers a body over the limit 413 and malformed JSON 400, as the caller’s fault', async () => {
    const large = await fetch(`${url}/`, { method: 'POST', body: JSON.stringify({ text: 'x'.repeat(100) }) });
    expect(large.status).toBe(413);
    expect(await large.json()).toMatchObject({ error: { message: 'The request body is too large.', type: 'invalid_request_error' } });
    const malformed = await fetch(`${url}/`, { method: 'POST', body: '{"text":' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { message: 'The request body is not valid JSON.', type: 'invalid_request_error' } });
    expect(logged).toEqual([]);
  });

  it('ends a request whose client left mid-body as cancelled (499), writing nothing and logging no failure', async () => {
    const before = ended.length;
    const request = http.request(`${url}/`, { method: 'POST', headers: { 'content-length': 40 } });
    request.on('error', () => {});
    request.write('{"a":');
    await new Promise((resolve) => setTimeout(resolve, 50));
    request.destroy();
    while (ended.length === before) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(ended.at(-1)).toEqual({ status: 499, failure: expect.objectContaining({ kind: 'cancelled', status: 499 }), wrote: false });
    expect(logged).toEqual([]);
  });

  it('takes a body shorter than its declared length as the client leaving, not as a gateway failure', async () => {
    const answer = await fetch(`${url}/short`, { method: 'POST' });
    expect(answer.status).toBe(499);
    expect(ended.at(-1)).toMatchObject({ status: 499, failure: { kind: 'cancelled' } });
    expect(logged).toEqual([]);
  });
});
