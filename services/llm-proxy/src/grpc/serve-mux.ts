import * as grpc from '@grpc/grpc-js';
import { CallTable } from '@nachos/common';
import { ProviderError, type StreamEvent } from '@nachos/plugin-sdk';
import {
  encodeEventsFrame,
  encodeStatusFrame,
  MUX_COMBINED_METADATA_KEY,
  MUX_COMBINED_REQUESTS_METADATA_KEY,
  toMuxStatus,
  type MuxRequestFrame,
  type MuxRequestMessage,
  type MuxResponse,
  type MuxStatus,
} from '@nachos/proto';
import type { HealthState } from './health-service.js';
import { MuxCall, type MuxSink } from './mux-call.js';
import { MuxFrameWriter } from './mux-frame-writer.js';
import type { ChatDependencies } from './serve-chat.js';

export interface MuxDependencies extends ChatDependencies {
  health: HealthState;
}

const GONE = new ProviderError({ kind: 'cancelled', message: 'the gateway closed the stream' });
const SHUTTING_DOWN = toMuxStatus(new ProviderError({ kind: 'unavailable', message: 'llm-proxy is shutting down; try again shortly.' }));

/**
 * Serves one `Mux` stream: the gateway keeps it open and runs many chats over it, each a call id (see
 * mux-call.ts). Response headers go out at once, which tells the gateway the stream is live. When the
 * service drains, calls already running finish, new ones are refused as unavailable, and the stream ends
 * once it is idle so the server can stop. A gateway that asks for it gets each turn's frames combined in
 * one message (mux-frame-writer.ts); the gateway may send its own combined, as the response headers say.
 */
export function serveMux(stream: grpc.ServerDuplexStream<MuxRequestMessage, MuxResponse>, dependencies: MuxDependencies): void {
  const calls = new CallTable<MuxCall>();
  let closing = !dependencies.health.serving;
  let gone = false;
  const writer = new MuxFrameWriter(stream, stream.metadata.get(MUX_COMBINED_METADATA_KEY)[0] === '1');
  const sink: MuxSink = {
    events: (callId: number, events: StreamEvent[]) => writer.write(encodeEventsFrame(callId, events)),
    status: (callId: number, status: MuxStatus) => void writer.write(encodeStatusFrame(callId, status)),
  };
  const endIfIdle = () => {
    if (closing && calls.size === 0 && !gone) {
      gone = true;
      writer.flush();
      writer.drop();
      stream.end();
    }
  };
  const unsubscribe = dependencies.health.onNotServing(() => {
    closing = true;
    endIfIdle();
  });
  const abandon = () => {
    gone = true;
    writer.drop();
    unsubscribe();
    for (const call of calls.calls()) call.abort(GONE);
    calls.clear();
  };

  const headers = new grpc.Metadata();
  // The gateway may then send the frames of one turn (several calls') as one message.
  headers.set(MUX_COMBINED_REQUESTS_METADATA_KEY, '1');
  stream.sendMetadata(headers);
  const receive = (request: MuxRequestFrame): void => {
    const id = request.callId;
    switch (request.kind) {
      case 'open': {
        if (calls.has(id)) return;
        if (closing) {
          sink.status(id, SHUTTING_DOWN);
          return;
        }
        const call = new MuxCall(id, request.open, sink, dependencies);
        calls.set(id, call);
        void call.run().finally(() => {
          calls.delete(id);
          endIfIdle();
        });
        return;
      }
      case 'credit':
        calls.get(id)?.grant(request.credit);
        return;
      case 'cancel':
        calls.get(id)?.abort(new ProviderError({ kind: 'cancelled', message: 'the caller cancelled' }));
        return;
    }
  };
  stream.on('data', (message: MuxRequestMessage) => {
    if ('combined' in message) for (const frame of message.combined) receive(frame);
    else receive(message);
  });
  // The gateway half-closes a stream it will not use again: finish what runs, then end ours.
  stream.on('end', () => {
    closing = true;
    endIfIdle();
  });
  stream.on('cancelled', abandon);
  stream.on('close', () => unsubscribe());
  stream.on('error', abandon);
}
