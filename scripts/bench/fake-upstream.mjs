/**
 * The fake OpenAI-compatible upstream, run as its own process so its CPU time is neither mixed with the
 * load generator's nor with the proxy's. It answers as cheaply as it can (prebuilt bodies) so that what the
 * benchmark sees is the proxy in front of it. `POST /v1/chat/completions`:
 * - INSTANT_MODEL: a small fixed completion, or with `stream: true` the same text as a stream written in one go;
 * - a paced model (see pacedModel) with `stream: true`: the role chunk at once, then its tokens on their
 *   schedule, counted from the request's arrival so timer lateness does not add up.
 * Streams end with the finish chunk, a usage chunk when `stream_options.include_usage` asks for one, and
 * `[DONE]`. `GET /v1/models` lists the instant model. It tells its parent the port over IPC, answers
 * `{type: 'counts'}` with the connections and requests it has seen (how many connections a proxy opens is
 * one of the benchmark's counts), and exits when the parent goes away.
 */
import { createServer } from 'node:http';
import { INSTANT_MODEL, INSTANT_TEXT, pacingOf } from './bench-models.mjs';

const created = 1700000000;
const usage = { prompt_tokens: 9, completion_tokens: 6, total_tokens: 15 };
const counts = { connections: 0, requests: 0 };

function completionBody(model) {
  const choice = { index: 0, message: { role: 'assistant', content: INSTANT_TEXT }, finish_reason: 'stop' };
  return Buffer.from(JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion', created, model, choices: [choice], usage }));
}
const instantCompletion = completionBody(INSTANT_MODEL);
const modelsBody = Buffer.from(JSON.stringify({ object: 'list', data: [{ id: INSTANT_MODEL, object: 'model', created, owned_by: 'bench' }] }));

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
const streamHeaders = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };

/** The events of one paced model, built once per model name. */
const pacedEvents = new Map();
function eventsOf(model, { tokens }) {
  let events = pacedEvents.get(model);
  if (!events) {
    events = {
      role: chunkEvent(model, { role: 'assistant', content: '' }, null),
      tokens: Array.from({ length: tokens }, (_, index) => chunkEvent(model, { content: ` token${index}` }, null)),
    };
    pacedEvents.set(model, events);
  }
  return events;
}

function sendJson(response, status, body) {
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length });
  response.end(body);
}

function streamPaced(response, model, pacing, withUsage) {
  const events = eventsOf(model, pacing);
  const startedAt = performance.now();
  response.writeHead(200, streamHeaders);
  response.write(events.role);
  let sent = 0;
  let timer;
  response.once('close', () => clearTimeout(timer));
  const sendNext = () => {
    const token = events.tokens[sent];
    sent += 1;
    if (sent === pacing.tokens) {
      response.end(token + endEvents(model, withUsage));
      return;
    }
    response.write(token);
    timer = setTimeout(sendNext, Math.max(0, startedAt + pacing.firstMs + sent * pacing.gapMs - performance.now()));
  };
  timer = setTimeout(sendNext, pacing.firstMs);
}

function answerChat(body, response) {
  const withUsage = body.stream_options?.include_usage === true;
  const pacing = pacingOf(body.model);
  if (pacing && body.stream) {
    streamPaced(response, body.model, pacing, withUsage);
  } else if (pacing) {
    sendJson(response, 200, completionBody(body.model));
  } else if (!body.stream) {
    sendJson(response, 200, instantCompletion);
  } else {
    response.writeHead(200, streamHeaders);
    response.end(instantStream + endEvents(INSTANT_MODEL, withUsage));
  }
}

const server = createServer((request, response) => {
  counts.requests += 1;
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
server.on('connection', () => (counts.connections += 1));
// Keep-alive connections from the proxies stay open across the pauses between measured windows.
server.keepAliveTimeout = 120_000;
server.headersTimeout = 121_000;
server.maxConnections = Infinity;
server.listen({ port: 0, host: '127.0.0.1', backlog: 16384 }, () => process.send({ type: 'listening', port: server.address().port }));
process.on('message', (message) => {
  if (message.type === 'counts') process.send({ type: 'counts', ...counts });
});
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
