/**
 * Floor 2, back process (where llm-proxy sits): takes ChatRequests off the one Mux stream, calls the
 * upstream on an undici Pool (a completion for a non-streaming client, a stream for a streaming one),
 * turns the answer into the project's ChatEvents and sends them back as ChatEventBatch frames, one batch
 * per upstream read. No routing, plugins or translation layers: only the work the path cannot avoid.
 */
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import * as grpc from '@grpc/grpc-js';
import { ChatEventBatchSchema, ChatRequestSchema, FinishReason } from '@nachos/proto';
import { Pool } from 'undici';
import { decodeFrame, encodeFrame, FRAME, MUX_METHOD } from './grpc-floor-seam.mjs';

const pool = new Pool(process.env.BENCH_UPSTREAM_URL, { keepAliveTimeout: 120_000 });
const upstreamHeaders = { 'content-type': 'application/json', authorization: 'Bearer sk-bench' };

function upstreamBody(request) {
  const messages = request.messages.map((message) => ({
    role: 'user',
    content: message.content.map((part) => (part.part.case === 'text' ? part.part.value.text : '')).join(''),
  }));
  const body = { model: request.model, messages, stream: request.stream };
  if (request.sampling?.maxTokens !== undefined) body.max_tokens = request.sampling.maxTokens;
  return JSON.stringify(body);
}

function toEvents(chunk) {
  const events = [];
  if (chunk.object === 'chat.completion.chunk' && chunk.choices[0]?.delta?.role) {
    events.push({ event: { case: 'start', value: { id: chunk.id, model: chunk.model } } });
  }
  const choice = chunk.choices[0];
  const text = choice?.delta?.content ?? choice?.message?.content;
  if (chunk.object === 'chat.completion') events.push({ event: { case: 'start', value: { id: chunk.id, model: chunk.model } } });
  if (text) events.push({ event: { case: 'textDelta', value: { text } } });
  if (choice?.finish_reason) events.push({ event: { case: 'finish', value: { reason: FinishReason.STOP } } });
  if (chunk.usage) {
    events.push({ event: { case: 'usage', value: { inputTokens: chunk.usage.prompt_tokens, outputTokens: chunk.usage.completion_tokens } } });
  }
  return events;
}

function send(mux, callId, kind, events) {
  return mux.write(encodeFrame(callId, kind, toBinary(ChatEventBatchSchema, create(ChatEventBatchSchema, { events }))));
}

async function answer(mux, callId, request) {
  const upstream = await pool.request({ path: '/v1/chat/completions', method: 'POST', headers: upstreamHeaders, body: upstreamBody(request) });
  if (upstream.statusCode !== 200) throw new Error(`upstream HTTP ${upstream.statusCode}: ${await upstream.body.text()}`);
  if (!request.stream) {
    send(mux, callId, FRAME.lastEvents, toEvents(await upstream.body.json()));
    return;
  }
  let pending = '';
  for await (const part of upstream.body) {
    pending += part.toString();
    const events = [];
    let boundary = pending.indexOf('\n\n');
    while (boundary !== -1) {
      const data = pending.slice(6, boundary);
      pending = pending.slice(boundary + 2);
      boundary = pending.indexOf('\n\n');
      if (data !== '[DONE]') events.push(...toEvents(JSON.parse(data)));
    }
    if (events.length > 0 && !send(mux, callId, FRAME.events, events)) await new Promise((resolve) => mux.once('drain', resolve));
  }
  send(mux, callId, FRAME.lastEvents, []);
}

const server = new grpc.Server();
server.addService(MUX_METHOD, {
  Mux(mux) {
    mux.on('data', (frame) => {
      const { callId, payload } = decodeFrame(frame);
      answer(mux, callId, fromBinary(ChatRequestSchema, payload)).catch((error) => mux.write(encodeFrame(callId, FRAME.error, Buffer.from(error.message))));
    });
    mux.on('end', () => mux.end());
  },
});
server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) => {
  if (error) throw error;
  process.send({ type: 'listening', port });
});
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
