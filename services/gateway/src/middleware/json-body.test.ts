import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import express from 'express';
import { verifyJsonDepth } from '../hygiene/json-depth.js';
import { jsonBody } from './json-body.js';

const LIMIT = '64b';
const verify = verifyJsonDepth(3);

interface Seen {
  status: number;
  text: string;
}

/** An app that answers with what the body step left: the parsed body, or the error's fields that callers read. */
function serve(step: express.RequestHandler, { failures, arrivals }: AppRecord): http.Server {
  const app = express();
  app.use((request, _response, next) => {
    arrivals.push(request.headers);
    next();
  });
  app.post('/', step, (request, response) => {
    response.json({ body: request.body as unknown });
  });
  app.use(((error, _request, response, _next) => {
    failures.push(error);
    const { status, statusCode, expose, type, code, message, name } = error as Record<string, unknown>;
    response.status(400).json({ status, statusCode, expose, type, code, message, name });
  }) as express.ErrorRequestHandler);
  return app.listen(0, '127.0.0.1');
}

function send(server: http.Server, headers: http.OutgoingHttpHeaders, body: Buffer | string | readonly string[]): Promise<Seen> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
    });
    request.on('error', reject);
    if (Array.isArray(body)) for (const part of body) request.write(part);
    else request.write(body as Buffer | string);
    request.end();
  });
}

const json = (text: string | Buffer, headers: http.OutgoingHttpHeaders = {}) => ({
  headers: { 'content-length': Buffer.byteLength(text), ...headers },
  body: text,
});

const CASES: Record<string, { headers: http.OutgoingHttpHeaders; body: Buffer | string | readonly string[] }> = {
  'an object, no content type': json('{"model":"m","n":1}'),
  'an object as application/json': json('{"model":"m"}', { 'content-type': 'application/json' }),
  'a byte-order mark before the object': json('\ufeff{"a":"b"}'),
  'an empty body': json(''),
  'only a byte-order mark': json('\ufeff'),
  'whitespace only': json('   '),
  'a scalar (not strict)': json('5'),
  'a syntax error': json('{"a":'),
  'a trailing comma': json('{"a":1,}'),
  'bytes that are not UTF-8': json(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xc3, 0x22, 0x7d])),
  'a truncated UTF-8 sequence at the end': json(Buffer.from([0x22, 0xe2, 0x82])),
  'nested deeper than allowed': json('{"a":[{"b":[1]}]}'),
  'brackets inside a string do not count': json('{"a":"[[[[{{{{"}'),
  'exactly the limit': json(`{"a":"${'x'.repeat(56)}"}`),
  'one byte over the limit': json(`{"a":"${'x'.repeat(57)}"}`),
  'a charset': json('{"a":1}', { 'content-type': 'application/json; charset=utf-8' }),
  'an unsupported charset': json('{"a":1}', { 'content-type': 'application/json; charset=utf-16' }),
  'another content type': json('{"a":1}', { 'content-type': 'text/plain' }),
  'an invalid content type': json('{"a":1}', { 'content-type': 'json' }),
  gzip: json(gzipSync('{"a":1}'), { 'content-encoding': 'gzip' }),
  'an unknown content encoding': json('{"a":1}', { 'content-encoding': 'compress' }),
  'identity spelled out': json('{"a":1}', { 'content-encoding': 'identity' }),
  chunked: { headers: { 'transfer-encoding': 'chunked' }, body: ['{"a":', '1}'] },
  'chunked over the limit': { headers: { 'transfer-encoding': 'chunked' }, body: ['{"a":"', 'x'.repeat(80), '"}'] },
  'sent in pieces': { headers: { 'content-length': 9 }, body: ['{"a"', ':', '"bc"}'] },
};

describe('jsonBody', () => {
  const bodyParserRecord: AppRecord = { failures: [], arrivals: [] };
  const jsonBodyRecord: AppRecord = { failures: [], arrivals: [] };
  const bodyParser = express.json({ limit: LIMIT, type: () => true, strict: false, verify });
  const parsers = { bodyParser: serve(bodyParser, bodyParserRecord), jsonBody: serve(jsonBody(bodyParser, LIMIT, verify), jsonBodyRecord) };
  const unverified = express.json({ limit: LIMIT, type: () => true, strict: false });
  const withoutVerify = {
    bodyParser: serve(unverified, { failures: [], arrivals: [] }),
    jsonBody: serve(jsonBody(unverified, LIMIT), { failures: [], arrivals: [] }),
  };

  const servers = [...Object.values(parsers), ...Object.values(withoutVerify)];

  beforeAll(async () => {
    for (const server of servers) if (!server.listening) await once(server, 'listening');
  });

  afterAll(async () => {
    for (const server of servers) {
      server.close();
      await once(server, 'close');
    }
  });

  it.each(Object.keys(CASES))('answers %s exactly as body-parser does', async (name) => {
    const { headers, body } = CASES[name]!;
    for (const pair of [parsers, withoutVerify]) {
      const expected = await send(pair.bodyParser, headers, body);
      expect(await send(pair.jsonBody, headers, body)).toEqual(expected);
    }
  });

  it('neither reads the body of a request answered before it nor runs a step after it', async () => {
    const ranAfter: string[] = [];
    const app = express();
    app.post(
      '/',
      (_request, response, next) => {
        response.status(408).end('late');
        next();
      },
      jsonBody(bodyParser, LIMIT, verify),
      (request, _response, next) => {
        ranAfter.push(`step with ${JSON.stringify(request.body)}`);
        next();
      },
    );
    app.use(((error, _request, _response, _next) => ranAfter.push(`error ${(error as Error).message}`)) as express.ErrorRequestHandler);
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      expect(await send(server, { 'content-length': 9 }, '{"a":"b"}')).toEqual({ status: 408, text: 'late' });
      expect(ranAfter).toEqual([]);
    } finally {
      server.close();
    }
  });

  it('passes on raw-body’s aborted-request error when the client goes away mid-body, as body-parser does', async () => {
    const seen = [await abortMidBody(parsers.bodyParser, bodyParserRecord), await abortMidBody(parsers.jsonBody, jsonBodyRecord)];
    for (const error of seen) {
      expect(error).toMatchObject({ status: 400, statusCode: 400, expose: true, type: 'request.aborted', code: 'ECONNABORTED', message: 'request aborted' });
    }
  });
});

interface AppRecord {
  failures: unknown[];
  arrivals: unknown[];
}

/** Sends part of a declared body, goes away once the app has the request, and gives the error the app was handed. */
async function abortMidBody(server: http.Server, record: AppRecord): Promise<unknown> {
  const { port } = server.address() as AddressInfo;
  const [arrived, failed] = [record.arrivals.length, record.failures.length];
  const request = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers: { 'content-length': 40 } });
  request.on('error', () => {});
  request.write('{"a":');
  // Once the request has reached the app, its body is being read: the rest never comes.
  await until(() => record.arrivals.length > arrived);
  request.destroy();
  await until(() => record.failures.length > failed);
  return record.failures.at(-1);
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}
