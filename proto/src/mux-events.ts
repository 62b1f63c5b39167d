import { toBinary } from '@bufbuild/protobuf';
import type * as sdk from '@nachos/plugin-sdk';
import { codecError } from './codec/codec-error.js';
import { finishReasons } from './codec/chat-event-codec.js';
import { encodeCombined } from './combined-frames.js';
import { int32Length, varintLength, writeInt32, writeVarint } from './codec/varint.js';
import { LENGTH_DELIMITED, VARINT, WireReader } from './codec/wire-reader.js';
import { MuxStatusSchema, type FinishReason, type MuxStatus } from './gen/nachos/llm/v1/llm_proxy_pb.js';
import { readMuxStatus, type MuxStatusFields } from './mux-status.js';

/**
 * llm-proxy's `MuxResponse` frames, written and read by hand from the .proto's field numbers: a relayed
 * token then costs a few field writes and reads, with no message objects built by reflection on either
 * side and no proto ⇄ canonical copy. The wire is the generated schema's exactly (proto3 defaults left
 * out, `optional` fields written when present); mux-events.test.ts checks both directions against it.
 */

/** One `MuxResponse` as the gateway reads it: a call's events, already canonical, or the status that ends it. */
export type MuxResponseFrame = { callId: number; events: sdk.StreamEvent[]; status?: undefined } | { callId: number; status: MuxStatusFields; events?: undefined };

/** A `MuxResponse` as it arrives: one frame, or the frames of several calls combined in one message (field 4). */
export type MuxResponseMessage = MuxResponseFrame | { combined: MuxResponseFrame[] };

/**
 * Sizes counted by the first pass of {@link encodeEventsFrame} and read back, in the same order, by the
 * second: each event's message length, then the UTF-8 length of each of its strings. Reused from frame
 * to frame (encoding is synchronous), so a batch allocates only its bytes.
 */
const sizes: number[] = [];
let nextSize = 0;

/**
 * A `MuxResponse` carrying one batch of a call's events, counted first and then written into one buffer:
 * no writer forks, no intermediate chunk per string. Throws the codec's `internal` error for an event it
 * cannot write.
 */
export function encodeEventsFrame(callId: number, events: readonly sdk.StreamEvent[]): Uint8Array {
  sizes.length = 0;
  let batch = 0;
  for (const event of events) {
    const slot = sizes.length;
    sizes.push(0);
    const body = countEvent(event);
    sizes[slot] = body;
    const message = 1 + varintLength(body) + body;
    batch += 1 + varintLength(message) + message;
  }
  const frame = Buffer.allocUnsafe(2 + varintLength(callId) + varintLength(batch) + batch);
  frame[0] = (1 << 3) | VARINT;
  let at = writeVarint(frame, 1, callId);
  frame[at++] = (2 << 3) | LENGTH_DELIMITED;
  at = writeVarint(frame, at, batch);
  nextSize = 0;
  for (const event of events) {
    const body = sizes[nextSize++]!;
    frame[at++] = (1 << 3) | LENGTH_DELIMITED;
    at = writeVarint(frame, at, 1 + varintLength(body) + body);
    frame[at++] = (KIND_FIELDS[event.type]! << 3) | LENGTH_DELIMITED;
    at = writeVarint(frame, at, body);
    at = writeEvent(frame, at, event);
  }
  return frame;
}

/** The `ChatEvent` oneof field of each kind. */
const KIND_FIELDS: Readonly<Record<string, number>> = {
  start: 1,
  'text-delta': 2,
  'reasoning-delta': 3,
  'redacted-reasoning': 4,
  'tool-call-start': 5,
  'tool-call-delta': 6,
  'tool-call-end': 7,
  finish: 8,
  usage: 9,
  choice: 10,
};

/** The length of an event's kind message (its fields); the strings' lengths go to `sizes`. */
function countEvent(event: sdk.StreamEvent): number {
  switch (event.type) {
    case 'start':
      return (
        countText(event.id) +
        countText(event.model) +
        countOptionalText(event.provider) +
        countOptionalText(event.endpoint) +
        countOptionalInteger(event.attempts) +
        countOptionalInteger(event.choices)
      );
    case 'text-delta':
      return countText(event.text);
    case 'reasoning-delta':
      return countText(event.text) + countOptionalText(event.signature);
    case 'redacted-reasoning':
      return countText(event.data);
    case 'tool-call-start':
      return countInteger(event.index) + countText(event.id) + countText(event.name) + countOptionalText(event.signature);
    case 'tool-call-delta':
      return countInteger(event.index) + countText(event.argumentsDelta);
    case 'tool-call-end':
      return countInteger(event.index);
    case 'finish':
      return countInteger(finishReasons.toProto(event.reason)) + countOptionalText(event.stopSequence);
    case 'usage': {
      const { usage } = event;
      return (
        countInteger(usage.inputTokens) +
        countInteger(usage.outputTokens) +
        countOptionalInteger(usage.cacheReadTokens) +
        countOptionalInteger(usage.cacheWriteTokens) +
        countOptionalInteger(usage.reasoningTokens)
      );
    }
    case 'choice':
      return countInteger(event.index);
    default:
      throw codecError('internal', `Unknown stream event type "${(event as { type: unknown }).type}"`);
  }
}

/** Writes the fields `countEvent` counted, in field order; proto3 defaults are left out, `optional` fields written when present. */
function writeEvent(frame: Buffer, at: number, event: sdk.StreamEvent): number {
  switch (event.type) {
    case 'start':
      at = writeText(frame, at, 1, event.id);
      at = writeText(frame, at, 2, event.model);
      at = writeOptionalText(frame, at, 3, event.provider);
      at = writeOptionalText(frame, at, 4, event.endpoint);
      at = writeOptionalInteger(frame, at, 5, event.attempts);
      return writeOptionalInteger(frame, at, 6, event.choices);
    case 'text-delta':
      return writeText(frame, at, 1, event.text);
    case 'reasoning-delta':
      at = writeText(frame, at, 1, event.text);
      return writeOptionalText(frame, at, 2, event.signature);
    case 'redacted-reasoning':
      return writeText(frame, at, 1, event.data);
    case 'tool-call-start':
      at = writeInteger(frame, at, 1, event.index);
      at = writeText(frame, at, 2, event.id);
      at = writeText(frame, at, 3, event.name);
      return writeOptionalText(frame, at, 4, event.signature);
    case 'tool-call-delta':
      at = writeInteger(frame, at, 1, event.index);
      return writeText(frame, at, 2, event.argumentsDelta);
    case 'tool-call-end':
      return writeInteger(frame, at, 1, event.index);
    case 'finish':
      at = writeInteger(frame, at, 1, finishReasons.toProto(event.reason));
      return writeOptionalText(frame, at, 2, event.stopSequence);
    case 'usage': {
      const { usage } = event;
      at = writeInteger(frame, at, 1, usage.inputTokens);
      at = writeInteger(frame, at, 2, usage.outputTokens);
      at = writeOptionalInteger(frame, at, 3, usage.cacheReadTokens);
      at = writeOptionalInteger(frame, at, 4, usage.cacheWriteTokens);
      return writeOptionalInteger(frame, at, 5, usage.reasoningTokens);
    }
    case 'choice':
      return writeInteger(frame, at, 1, event.index);
  }
}

function countText(value: string): number {
  return value === '' ? 0 : countOptionalText(value);
}

function countOptionalText(value: string | undefined): number {
  if (value === undefined) return 0;
  const length = Buffer.byteLength(value, 'utf8');
  sizes.push(length);
  return 1 + varintLength(length) + length;
}

function countInteger(value: number): number {
  return value === 0 ? 0 : 1 + int32Length(checkInt32(value));
}

function countOptionalInteger(value: number | undefined): number {
  return value === undefined ? 0 : 1 + int32Length(checkInt32(value));
}

function checkInt32(value: number): number {
  if (!Number.isInteger(value) || value > 0x7fffffff || value < -0x80000000) throw codecError('internal', `invalid int32: ${String(value)}`);
  return value;
}

function writeText(frame: Buffer, at: number, field: number, value: string): number {
  return value === '' ? at : writeOptionalText(frame, at, field, value);
}

function writeOptionalText(frame: Buffer, at: number, field: number, value: string | undefined): number {
  if (value === undefined) return at;
  const length = sizes[nextSize++]!;
  frame[at++] = (field << 3) | LENGTH_DELIMITED;
  at = writeVarint(frame, at, length);
  return at + frame.write(value, at, length, 'utf8');
}

function writeInteger(frame: Buffer, at: number, field: number, value: number): number {
  return value === 0 ? at : writeOptionalInteger(frame, at, field, value);
}

function writeOptionalInteger(frame: Buffer, at: number, field: number, value: number | undefined): number {
  if (value === undefined) return at;
  frame[at++] = (field << 3) | VARINT;
  return writeInt32(frame, at, value);
}

/** A `MuxResponse` ending a call; success, by far the most frequent, is a few bytes with no message built. */
export function encodeStatusFrame(callId: number, status: MuxStatus): Uint8Array {
  const body = status.errorKind === '' && status.message === '' && status.retryAfterMs === undefined ? EMPTY : toBinary(MuxStatusSchema, status);
  const frame = Buffer.allocUnsafe(2 + varintLength(callId) + varintLength(body.length) + body.length);
  frame[0] = (1 << 3) | VARINT;
  let at = writeVarint(frame, 1, callId);
  frame[at++] = (3 << 3) | LENGTH_DELIMITED;
  at = writeVarint(frame, at, body.length);
  frame.set(body, at);
  return frame;
}

const EMPTY = new Uint8Array(0);

/** The tag of a frame inside a combined `MuxResponse` (field 4, length-delimited). */
const COMBINED_TAG = (4 << 3) | LENGTH_DELIMITED;

/** One `MuxResponse` carrying `frames` (encoded frames, in order) as its `combined` field; `length` is the sum of their {@link combinedFrameLength}s. */
export function encodeCombinedFrames(frames: readonly Uint8Array[], length: number): Uint8Array {
  return encodeCombined(COMBINED_TAG, frames, length);
}

/**
 * Reads a `MuxResponse`, one frame or several combined: a combined message carries nothing but its frames,
 * so its first byte is their tag. A malformed frame or event fails with the codec's `internal` error.
 */
export function decodeMuxResponse(bytes: Uint8Array): MuxResponseMessage {
  const r = new WireReader(bytes);
  const end = r.bytes.length;
  if (end === 0 || r.bytes[0] !== COMBINED_TAG) return readFrame(r, end);
  const combined: MuxResponseFrame[] = [];
  while (r.pos < end) {
    const tag = r.varint(end);
    if (tag === COMBINED_TAG) combined.push(readFrame(r, r.fieldEnd(end)));
    else r.skip(tag & 7, end);
  }
  return { combined };
}

function readFrame(r: WireReader, end: number): MuxResponseFrame {
  let callId = 0;
  let events: sdk.StreamEvent[] = [];
  let status: MuxStatusFields | undefined;
  while (r.pos < end) {
    const tag = r.varint(end);
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field === 1 && wireType === VARINT) callId = r.varint(end);
    else if (field === 2 && wireType === LENGTH_DELIMITED) events = readBatch(r, r.fieldEnd(end));
    else if (field === 3 && wireType === LENGTH_DELIMITED) status = readMuxStatus(r, r.fieldEnd(end));
    else r.skip(wireType, end);
  }
  return status ? { callId, status } : { callId, events };
}

function readBatch(r: WireReader, end: number): sdk.StreamEvent[] {
  const events: sdk.StreamEvent[] = [];
  while (r.pos < end) {
    const tag = r.varint(end);
    if (tag >>> 3 === 1 && (tag & 7) === LENGTH_DELIMITED) events.push(readEvent(r, r.fieldEnd(end)));
    else r.skip(tag & 7, end);
  }
  return events;
}

function readEvent(r: WireReader, end: number): sdk.StreamEvent {
  let event: sdk.StreamEvent | undefined;
  while (r.pos < end) {
    const tag = r.varint(end);
    const field = tag >>> 3;
    if (field >= 1 && field <= 10 && (tag & 7) === LENGTH_DELIMITED) event = readKind(field, r, r.fieldEnd(end));
    else r.skip(tag & 7, end);
  }
  if (!event) throw codecError('internal', 'Chat event has no known kind');
  return event;
}

/**
 * One event message's fields. Every field of every kind is a string or an int32 (enum values included)
 * numbered 1 to 6, told apart by wire type, so one loop reads all ten kinds into locals.
 */
function readKind(kind: number, r: WireReader, end: number): sdk.StreamEvent {
  let t1: string | undefined, t2: string | undefined, t3: string | undefined, t4: string | undefined;
  let n1: number | undefined, n2: number | undefined, n3: number | undefined, n4: number | undefined, n5: number | undefined, n6: number | undefined;
  while (r.pos < end) {
    const tag = r.varint(end);
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (wireType === VARINT) {
      const value = r.varint(end) | 0;
      if (field === 1) n1 = value;
      else if (field === 2) n2 = value;
      else if (field === 3) n3 = value;
      else if (field === 4) n4 = value;
      else if (field === 5) n5 = value;
      else if (field === 6) n6 = value;
    } else if (wireType === LENGTH_DELIMITED) {
      const value = r.string(end);
      if (field === 1) t1 = value;
      else if (field === 2) t2 = value;
      else if (field === 3) t3 = value;
      else if (field === 4) t4 = value;
    } else r.skip(wireType, end);
  }
  // A field absent on the wire is left off the event, not set to undefined; added one by one rather than
  // copied through omitUndefined, which cost the gateway ~1 % of a request in the profile.
  switch (kind) {
    case 1: {
      const start: sdk.StartEvent = { type: 'start', id: t1 ?? '', model: t2 ?? '' };
      if (t3 !== undefined) start.provider = t3;
      if (t4 !== undefined) start.endpoint = t4;
      if (n5 !== undefined) start.attempts = n5;
      if (n6 !== undefined) start.choices = n6;
      return start;
    }
    case 2:
      return { type: 'text-delta', text: t1 ?? '' };
    case 3:
      return t2 === undefined ? { type: 'reasoning-delta', text: t1 ?? '' } : { type: 'reasoning-delta', text: t1 ?? '', signature: t2 };
    case 4:
      return { type: 'redacted-reasoning', data: t1 ?? '' };
    case 5: {
      const start: sdk.ToolCallStartEvent = { type: 'tool-call-start', index: n1 ?? 0, id: t2 ?? '', name: t3 ?? '' };
      if (t4 !== undefined) start.signature = t4;
      return start;
    }
    case 6:
      return { type: 'tool-call-delta', index: n1 ?? 0, argumentsDelta: t2 ?? '' };
    case 7:
      return { type: 'tool-call-end', index: n1 ?? 0 };
    case 8: {
      // A reason this build does not know (a newer llm-proxy's) still ends the stream: report it as "other".
      const finish: sdk.FinishEvent = { type: 'finish', reason: finishReasons.fromProto((n1 ?? 0) as FinishReason) ?? 'other' };
      if (t2 !== undefined) finish.stopSequence = t2;
      return finish;
    }
    case 10:
      return { type: 'choice', index: n1 ?? 0 };
    default: {
      const usage: sdk.Usage = { inputTokens: n1 ?? 0, outputTokens: n2 ?? 0 };
      if (n3 !== undefined) usage.cacheReadTokens = n3;
      if (n4 !== undefined) usage.cacheWriteTokens = n4;
      if (n5 !== undefined) usage.reasoningTokens = n5;
      return { type: 'usage', usage };
    }
  }
}
