/**
 * The fake OpenAI-compatible upstream, run as its own process so its CPU time is neither mixed with the
 * load generator's nor with the proxy's. It answers as cheaply as it can (prebuilt bodies) so that what the
 * benchmark sees is the proxy in front of it:
 * - `POST /v1/chat/completions`: a small fixed completion, or with `stream: true` BENCH_CHUNKS content
 *   chunks, the first at once (with the role chunk) and the rest BENCH_CHUNK_GAP_MS apart, scheduled from
 *   the stream's start so timer lateness does not add up; the finish chunk and `[DONE]` follow the last one;
 * - `GET /v1/models`: the one model.
 * It tells its parent the port over IPC and exits when the parent goes away.
 */
import { createServer } from 'node:http';

const chunkCount = Number(process.env.BENCH_CHUNKS ?? 20);
const chunkGapMs = Number(process.env.BENCH_CHUNK_GAP_MS ?? 5);
const model = process.env.BENCH_MODEL ?? 'bench-model';
const created = 1700000000;

const completionBody = Buffer.from(
  JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    created,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: 'Hello from the benchmark upstream.' }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 9, completion_tokens: 6, total_tokens: 15 },
  }),
);
const modelsBody = Buffer.from(JSON.stringify({ object: 'list', data: [{ id: model, object: 'model', created, owned_by: 'bench' }] }));

function chunkEvent(delta, finishReason) {
  const chunk = { id: 'chatcmpl-bench', object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finishReason }] };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}
const roleEvent = chunkEvent({ role: 'assistant', content: '' }, null);
const contentEvents = Array.from({ length: chunkCount }, (_, index) => chunkEvent({ content: ` token${index}` }, null));
const lastEvents = chunkEvent({}, 'stop') + 'data: [DONE]\n\n';

function sendJson(response, status, body) {
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length });
  response.end(body);
}

function stream(response) {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const startedAt = performance.now();
  let sent = 0;
  let closed = false;
  response.once('close', () => (closed = true));
  const sendNext = () => {
    if (closed) return;
    const events = sent === 0 ? roleEvent + contentEvents[0] : contentEvents[sent];
    sent += 1;
    if (sent === chunkCount) {
      response.end(events + lastEvents);
      return;
    }
    response.write(events);
    setTimeout(sendNext, Math.max(0, startedAt + sent * chunkGapMs - performance.now()));
  };
  sendNext();
}

const server = createServer((request, response) => {
  const parts = [];
  request.on('data', (part) => parts.push(part));
  request.on('end', () => {
    if (request.method === 'POST' && request.url === '/v1/chat/completions') {
      const body = JSON.parse(Buffer.concat(parts).toString());
      if (body.stream) stream(response);
      else sendJson(response, 200, completionBody);
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
