/**
 * Floor 2, front process (where the gateway sits): HTTP in, the OpenAI body parsed and encoded as the
 * project's ChatRequest, sent as a frame on ONE long-lived bidirectional grpc-js stream to the back
 * process (BENCH_GRPC_TARGET), the ChatEventBatch frames that come back written out as an OpenAI
 * completion or as SSE chunks. No auth, limits or metering: the cost of the two-process shape itself.
 */
import { createServer } from 'node:http';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import * as grpc from '@grpc/grpc-js';
import { ChatEventBatchSchema, ChatRequestSchema, Role } from '@nachos/proto';
import { decodeFrame, encodeFrame, FRAME, MUX_METHOD } from './grpc-floor-seam.mjs';

const FloorClient = grpc.makeGenericClientConstructor(MUX_METHOD, 'Floor');
const client = new FloorClient(process.env.BENCH_GRPC_TARGET, grpc.credentials.createInsecure());
const mux = client.Mux();
/** Open calls by id: what each answer needs to be written out. */
const calls = new Map();
let nextCallId = 1;

function toChatRequest(body) {
  const messages = body.messages.map((message) => ({ role: Role.USER, content: [{ part: { case: 'text', value: { text: message.content } } }] }));
  const sampling = body.max_tokens === undefined ? undefined : { maxTokens: body.max_tokens };
  return toBinary(ChatRequestSchema, create(ChatRequestSchema, { model: body.model, messages, stream: body.stream === true, sampling }));
}

function sseChunk(call, delta, finishReason) {
  const chunk = { id: call.id, object: 'chat.completion.chunk', created: call.created, model: call.model, choices: [{ index: 0, delta, finish_reason: finishReason }] };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

function onEvents(call, events, last) {
  let out = '';
  for (const { event } of events) {
    if (event.case === 'start') {
      call.id = event.value.id;
      if (call.stream) out += sseChunk(call, { role: 'assistant', content: '' }, null);
    } else if (event.case === 'textDelta') {
      if (call.stream) out += sseChunk(call, { content: event.value.text }, null);
      else call.text += event.value.text;
    } else if (event.case === 'finish') {
      call.finish = 'stop';
    } else if (event.case === 'usage') {
      call.usage = { prompt_tokens: event.value.inputTokens, completion_tokens: event.value.outputTokens, total_tokens: event.value.inputTokens + event.value.outputTokens };
    }
  }
  const { response } = call;
  if (call.stream) {
    if (last) out += sseChunk(call, {}, call.finish) + 'data: [DONE]\n\n';
    if (last) response.end(out);
    else if (out) response.write(out);
    return;
  }
  if (!last) return;
  const message = { role: 'assistant', content: call.text };
  const completion = JSON.stringify({ id: call.id, object: 'chat.completion', created: call.created, model: call.model, choices: [{ index: 0, message, finish_reason: call.finish }], usage: call.usage });
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(completion) }).end(completion);
}

mux.on('data', (frame) => {
  const { callId, kind, payload } = decodeFrame(frame);
  const call = calls.get(callId);
  if (!call) return;
  if (kind === FRAME.error) {
    calls.delete(callId);
    if (call.response.headersSent) call.response.destroy();
    else call.response.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: payload.toString() } }));
    return;
  }
  const last = kind === FRAME.lastEvents;
  if (last) calls.delete(callId);
  onEvents(call, fromBinary(ChatEventBatchSchema, payload).events, last);
});
mux.on('error', (error) => {
  console.error(`the floor's Mux stream failed: ${error.message}`);
  process.exit(1);
});

const server = createServer((request, response) => {
  const parts = [];
  request.on('data', (part) => parts.push(part));
  request.on('end', () => {
    const body = JSON.parse(Buffer.concat(parts).toString());
    const callId = nextCallId++;
    const call = { response, stream: body.stream === true, model: body.model, created: Math.floor(Date.now() / 1000), id: '', text: '', finish: null, usage: undefined };
    calls.set(callId, call);
    if (call.stream) response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    mux.write(encodeFrame(callId, FRAME.request, toChatRequest(body)));
  });
});
server.keepAliveTimeout = 120_000;
server.listen({ port: 0, host: '127.0.0.1', backlog: 16384 }, () => process.send({ type: 'listening', port: server.address().port }));
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
