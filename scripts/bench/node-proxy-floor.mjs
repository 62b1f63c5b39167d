/**
 * Floor 1, the one-hop Node proxy: what a single Node process pays to stand between client and upstream
 * with the libraries nachos uses. HTTP in (node:http), the body read and parsed, the request sent on an
 * undici Pool with keep-alive, a completion parsed and written out as JSON, a stream relayed chunk by chunk.
 * No auth, no routing, no translation: nachos can come close to this but never below it. A benchmark
 * fixture, started by the benchmark with BENCH_UPSTREAM_URL; it reports its port over IPC.
 */
import { createServer } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { Pool } from 'undici';

const pool = new Pool(process.env.BENCH_UPSTREAM_URL, { keepAliveTimeout: 120_000 });
const upstreamHeaders = { 'content-type': 'application/json', authorization: 'Bearer sk-bench' };

function fail(response, error) {
  if (response.headersSent) response.destroy(error);
  else response.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: error.message } }));
}

async function relay(request, response) {
  const parts = [];
  for await (const part of request) parts.push(part);
  const body = JSON.parse(Buffer.concat(parts).toString());
  const upstream = await pool.request({ path: '/v1/chat/completions', method: 'POST', headers: upstreamHeaders, body: JSON.stringify(body) });
  if (!body.stream) {
    const completion = JSON.stringify(await upstream.body.json());
    response.writeHead(upstream.statusCode, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(completion) });
    response.end(completion);
    return;
  }
  response.writeHead(upstream.statusCode, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  await pipeline(upstream.body, response);
}

const server = createServer((request, response) => {
  relay(request, response).catch((error) => fail(response, error));
});
server.keepAliveTimeout = 120_000;
server.listen({ port: 0, host: '127.0.0.1', backlog: 16384 }, () => process.send({ type: 'listening', port: server.address().port }));
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
