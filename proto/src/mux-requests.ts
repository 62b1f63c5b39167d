import { Secret } from '@nachos/plugin-sdk';
import type { CallerContext } from './codec/caller-policy-codec.js';
import { readMapEntry } from './codec/chat-request-reader.js';
import { LENGTH_DELIMITED, VARINT, WireReader } from './codec/wire-reader.js';

/**
 * The gateway's `MuxRequest` frames as llm-proxy reads them, by hand from the .proto's field numbers:
 * a credit frame costs a few varints, and the chat request of an open frame is left as its bytes for
 * the call to read (`readChatRequest`), so a request it refuses fails that call, not the stream.
 * mux-requests.test.ts reads frames the generated schema wrote.
 */
export interface MuxOpenFrame {
  /** The `ChatRequest`'s bytes; absent when the frame carries none. */
  request: Uint8Array | undefined;
  requestId: string;
  /** 0: no deadline. */
  timeoutMs: number;
  credit: number;
  /** As `fromProtoCallerPolicy` gives it: header names lowercased. */
  caller: CallerContext;
}

export type MuxRequestFrame =
  | { callId: number; kind: 'open'; open: MuxOpenFrame }
  | { callId: number; kind: 'credit'; credit: number }
  | { callId: number; kind: 'cancel' }
  | { callId: number; kind: undefined };

const CALL_ID = (1 << 3) | VARINT;
const OPEN = (2 << 3) | LENGTH_DELIMITED;
const CREDIT = (3 << 3) | VARINT;
const CANCEL = (4 << 3) | VARINT;

/** A `MuxRequest` as it arrives: one frame, or the frames of several calls combined in one message (field 5). */
export type MuxRequestMessage = MuxRequestFrame | { combined: MuxRequestFrame[] };

const COMBINED = (5 << 3) | LENGTH_DELIMITED;

/**
 * Reads a `MuxRequest`, one frame or several combined: a combined message carries nothing but its frames,
 * so its first byte is their tag.
 */
export function decodeMuxRequestMessage(bytes: Uint8Array): MuxRequestMessage {
  if (bytes.length === 0 || bytes[0] !== COMBINED) return decodeMuxRequest(bytes);
  const r = new WireReader(bytes);
  const end = r.bytes.length;
  const combined: MuxRequestFrame[] = [];
  while (r.pos < end) {
    const tag = r.varint(end);
    if (tag === COMBINED) combined.push(decodeMuxRequest(r.sub(end)));
    else r.skip(tag & 7, end);
  }
  return { combined };
}

/** Reads one `MuxRequest` frame; of its `frame` members the last one wins, as protobuf's `oneof` does. */
export function decodeMuxRequest(bytes: Uint8Array): MuxRequestFrame {
  const r = new WireReader(bytes);
  const end = r.bytes.length;
  let callId = 0;
  let frame: { kind: 'open'; open: MuxOpenFrame } | { kind: 'credit'; credit: number } | { kind: 'cancel' } | { kind: undefined } = { kind: undefined };
  while (r.pos < end) {
    const tag = r.varint(end);
    if (tag === CALL_ID) callId = r.varint(end);
    else if (tag === OPEN) frame = { kind: 'open', open: readOpen(r, r.fieldEnd(end)) };
    else if (tag === CREDIT) frame = { kind: 'credit', credit: r.varint(end) };
    else if (tag === CANCEL) {
      r.varint(end);
      frame = { kind: 'cancel' };
    } else r.skip(tag & 7, end);
  }
  return { callId, ...frame };
}

function readOpen(r: WireReader, end: number): MuxOpenFrame {
  const open: MuxOpenFrame = { request: undefined, requestId: '', timeoutMs: 0, credit: 0, caller: {} };
  while (r.pos < end) {
    const tag = r.varint(end);
    if (tag === ((1 << 3) | LENGTH_DELIMITED)) open.request = r.sub(end);
    else if (tag === ((2 << 3) | LENGTH_DELIMITED)) open.requestId = r.string(end);
    else if (tag === ((3 << 3) | VARINT)) open.timeoutMs = r.varint(end);
    else if (tag === ((4 << 3) | VARINT)) open.credit = r.varint(end);
    else if (tag === ((5 << 3) | LENGTH_DELIMITED)) open.caller = readCallerPolicy(r, r.fieldEnd(end));
    else r.skip(tag & 7, end);
  }
  return open;
}

/** A `CallerPolicy` straight into what `fromProtoCallerPolicy` makes of it. */
function readCallerPolicy(r: WireReader, end: number): CallerContext {
  const allowedModels: string[] = [];
  let restricted = false;
  let providerKey = '';
  let headers: Record<string, string> | undefined;
  while (r.pos < end) {
    const tag = r.varint(end);
    if (tag === ((1 << 3) | LENGTH_DELIMITED)) allowedModels.push(r.string(end));
    else if (tag === ((2 << 3) | VARINT)) restricted = r.bool(end);
    else if (tag === ((3 << 3) | LENGTH_DELIMITED)) providerKey = r.string(end);
    else if (tag === ((4 << 3) | LENGTH_DELIMITED)) {
      headers ??= {};
      readMapEntry(r, r.fieldEnd(end), headers);
    } else r.skip(tag & 7, end);
  }
  const caller: CallerContext = {};
  if (restricted) caller.allowedModels = allowedModels;
  if (providerKey !== '') caller.providerKey = new Secret(providerKey);
  if (headers !== undefined) {
    const lowered: Record<string, string> = {};
    for (const name in headers) lowered[name.toLowerCase()] = headers[name]!;
    caller.clientHeaders = lowered;
  }
  return caller;
}
