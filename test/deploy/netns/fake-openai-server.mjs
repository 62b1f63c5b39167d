// A stand-in for a provider's OpenAI-compatible API, run inside the test's "internet" namespace.
// Usage: node fake-openai-server.mjs <host> <port> <reply text>. Prints "listening" once bound, then one JSON line per
// chat request it receives ({"seen": {...}}), so the test can tell which credentials reached it.
import { createServer } from 'node:http';

const [host, port, REPLY] = process.argv.slice(2);

function completion(model) {
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: 0,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: REPLY }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 },
  };
}

function chunk(model, delta, finishReason = null) {
  return { id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 0, model, choices: [{ index: 0, delta, finish_reason: finishReason }] };
}

const server = createServer((request, response) => {
  const body = [];
  request.on('data', (part) => body.push(part));
  request.on('end', () => {
    if (request.method === 'GET' && request.url === '/v1/models') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ object: 'list', data: [{ id: 'fake-model', object: 'model', created: 0, owned_by: 'fake' }] }));
      return;
    }
    if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: 'not found', type: 'invalid_request_error' } }));
      return;
    }
    const parsed = JSON.parse(Buffer.concat(body).toString('utf8') || '{}');
    process.stdout.write(`${JSON.stringify({ seen: { authorization: request.headers.authorization ?? null, model: parsed.model, stream: parsed.stream === true } })}\n`);
    const model = parsed.model ?? 'fake-model';
    if (parsed.stream !== true) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(completion(model)));
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const events = [chunk(model, { role: 'assistant', content: '' }), chunk(model, { content: REPLY }), chunk(model, {}, 'stop')];
    if (parsed.stream_options?.include_usage) {
      events.push({ ...chunk(model, {}), choices: [], usage: { prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 } });
    }
    for (const event of events) response.write(`data: ${JSON.stringify(event)}\n\n`);
    response.end('data: [DONE]\n\n');
  });
});

server.listen(Number(port), host, () => process.stdout.write('listening\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
