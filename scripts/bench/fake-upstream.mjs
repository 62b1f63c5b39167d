/**
 * The fake OpenAI-compatible upstream, run as its own process so its CPU time is neither mixed with the
 * load generator's nor with the proxy's. It answers as cheaply as it can (prebuilt bodies) so that what the
 * benchmark sees is the proxy in front of it. `POST /v1/chat/completions`:
 * - INSTANT_MODEL: a small fixed completion, or with `stream: true` the same text as a stream written in one go;
 * - PACED_MODEL with `stream: true`: BENCH_CHUNKS content chunks, the first at once (with the role chunk) and
 *   the rest BENCH_CHUNK_GAP_MS apart, scheduled from the stream's start so timer lateness does not add up.
 * Streams end with the finish chunk, a usage chunk when `stream_options.include_usage` asks for one, and
 * `[DONE]`. `GET /v1/models` lists both models. It tells its parent the port over IPC and exits when the
 * parent goes away.
 */
import { createServer } from 'node:http';
import { INSTANT_MODEL, INSTANT_TEXT, PACED_MODEL } from './bench-models.mjs';

const chunkCount = Number(process.env.BENCH_CHUNKS ?? 20);
const chunkGapMs = Number(process.env.BENCH_CHUNK_GAP_MS ?? 5);
const created = 1700000000;
const usage = { prompt_tokens: 9, completion_tokens: 6, total_tokens: 15 };

function completionBody(model) {
  const choice = { index: 0, message: { role: 'assistant', content: INSTANT_TEXT }, finish_reason: 'stop' };
  return Buffer.from(JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion', created, model, choices: [choice], usage }));
}
const completionBodies = { [INSTANT_MODEL]: completionBody(INSTANT_MODEL), [PACED_MODEL]: completionBody(PACED_MODEL) };
const modelsBody = Buffer.from(
  JSON.stringify({ object: 'list', data: [INSTANT_MODEL, PACED_MODEL].map((id) => ({ id, object: 'model', created, owned_by: 'bench' })) }),
);

function event(model, fields) {
  return `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created, model, ...fields })}\n\n`;
}
function chunkEvent(model, delta, finishReason) {
  return event(model, { choices: [{ index: 0, delta, finish_reason: finishReason }] });
}
function endEvents(model, withUsage) {
  return chunkEvent(model, {}, 'stop') + (withUsage ? event(model, { choices: [], usage }) : '') + 'data: [DONE]\n\n';
}
const instantStream = [chunkEvent(INSTANT_MODEL, { role: 'assistant', content: '' }, null), ...INSTANT_TEXT.split(/(?= )/).map((word) => chunkEvent(INSTANT_MODEL, { content: word }, null))].join('');
const pacedRole = chunkEvent(PACED_MODEL, { role: 'assistant', content: '' }, null);
const pacedChunks = Array.from({ length: chunkCount }, (_, index) => chunkEvent(PACED_MODEL, { content: ` token${index}` }, null));
const streamHeaders = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };

function sendJson(response, status, body) {
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length });
  response.end(body);
}

function streamPaced(response, withUsage) {
  response.writeHead(200, streamHeaders);
  const startedAt = performance.now();
  let sent = 0;
  let closed = false;
  response.once('close', () => (closed = true));
  const sendNext = () => {
    if (closed) return;
    const events = sent === 0 ? pacedRole + pacedChunks[0] : pacedChunks[sent];
    sent += 1;
    if (sent === chunkCount) {
      response.end(events + endEvents(PACED_MODEL, withUsage));
      return;
    }
    response.write(events);
    setTimeout(sendNext, Math.max(0, startedAt + sent * chunkGapMs - performance.now()));
  };
  sendNext();
}

function answerChat(body, response) {
  const model = body.model === PACED_MODEL ? PACED_MODEL : INSTANT_MODEL;
  const withUsage = body.stream_options?.include_usage === true;
  if (!body.stream) {
    sendJson(response, 200, completionBodies[model]);
  } else if (model === PACED_MODEL) {
    streamPaced(response, withUsage);
  } else {
    response.writeHead(200, streamHeaders);
    response.end(instantStream + endEvents(INSTANT_MODEL, withUsage));
  }
}

const server = createServer((request, response) => {
  const parts = [];
  request.on('data', (part) => parts.push(part));
  request.on('end', () => {
    if (request.method === 'POST' && request.url === '/v1/chat/completions') {
      answerChat(JSON.parse(Buffer.concat(parts).toString()), response);
    } else if (request.method === 'GET' && request.url === '/v1/models') {
      sendJson(response, 200, modelsBody);
    } else {
      sendJson(response, 404, Buffer.from('{"error":{"message":"not found","type":"invalid_request_error"}}'));
    }
  });
});
// Keep-alive connections from the proxies stay open across the pauses between measured windows.
server.keepAliveTimeout = 120_000;
server.headersTimeout = 121_000;
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
