import { fromBinary } from '@bufbuild/protobuf';
import { BinaryReader, BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import type * as sdk from '@nachos/plugin-sdk';
import { codecError } from './codec/codec-error.js';
import { finishReasons } from './codec/chat-event-codec.js';
import { omitUndefined } from './codec/omit-undefined.js';
import { MuxStatusSchema, type FinishReason, type MuxStatus } from './gen/nachos/llm/v1/llm_proxy_pb.js';

/**
 * llm-proxy's `MuxResponse` frames, written and read by hand from the .proto's field numbers: a relayed
 * token then costs a few field writes and reads, with no message objects built by reflection on either
 * side and no proto ⇄ canonical copy. The wire is the generated schema's exactly (proto3 defaults left
 * out, `optional` fields written when present); mux-events.test.ts checks both directions against it.
 */

/** One `MuxResponse` as the gateway reads it: a call's events, already canonical, or the status that ends it. */
export type MuxResponseFrame = { callId: number; events: sdk.StreamEvent[]; status?: undefined } | { callId: number; status: MuxStatus; events?: undefined };

const { Varint, LengthDelimited } = WireType;

/** A `MuxResponse` carrying one batch of a call's events. Throws the codec's `internal` error for an event it cannot write. */
export function encodeEventsFrame(callId: number, events: readonly sdk.StreamEvent[]): Uint8Array {
  const writer = new BinaryWriter();
  writer.tag(1, Varint).uint32(callId);
  writer.tag(2, LengthDelimited).fork();
  for (const event of events) {
    writer.tag(1, LengthDelimited).fork();
    writeEvent(writer, event);
    writer.join();
  }
  return writer.join().finish();
}

function writeEvent(writer: BinaryWriter, event: sdk.StreamEvent): void {
  switch (event.type) {
    case 'start':
      writer.tag(1, LengthDelimited).fork();
      text(writer, 1, event.id);
      text(writer, 2, event.model);
      optionalText(writer, 3, event.provider);
      optionalText(writer, 4, event.endpoint);
      if (event.attempts !== undefined) writer.tag(5, Varint).int32(event.attempts);
      break;
    case 'text-delta':
      writer.tag(2, LengthDelimited).fork();
      text(writer, 1, event.text);
      break;
    case 'reasoning-delta':
      writer.tag(3, LengthDelimited).fork();
      text(writer, 1, event.text);
      optionalText(writer, 2, event.signature);
      break;
    case 'redacted-reasoning':
      writer.tag(4, LengthDelimited).fork();
      text(writer, 1, event.data);
      break;
    case 'tool-call-start':
      writer.tag(5, LengthDelimited).fork();
      integer(writer, 1, event.index);
      text(writer, 2, event.id);
      text(writer, 3, event.name);
      optionalText(writer, 4, event.signature);
      break;
    case 'tool-call-delta':
      writer.tag(6, LengthDelimited).fork();
      integer(writer, 1, event.index);
      text(writer, 2, event.argumentsDelta);
      break;
    case 'tool-call-end':
      writer.tag(7, LengthDelimited).fork();
      integer(writer, 1, event.index);
      break;
    case 'finish':
      writer.tag(8, LengthDelimited).fork();
      integer(writer, 1, finishReasons.toProto(event.reason));
      optionalText(writer, 2, event.stopSequence);
      break;
    case 'usage': {
      const { usage } = event;
      writer.tag(9, LengthDelimited).fork();
      integer(writer, 1, usage.inputTokens);
      integer(writer, 2, usage.outputTokens);
      if (usage.cacheReadTokens !== undefined) writer.tag(3, Varint).int32(usage.cacheReadTokens);
      if (usage.cacheWriteTokens !== undefined) writer.tag(4, Varint).int32(usage.cacheWriteTokens);
      if (usage.reasoningTokens !== undefined) writer.tag(5, Varint).int32(usage.reasoningTokens);
      break;
    }
    default:
      throw codecError('internal', `Unknown stream event type "${(event as { type: unknown }).type}"`);
  }
  writer.join();
}

function text(writer: BinaryWriter, field: number, value: string): void {
  if (value !== '') writer.tag(field, LengthDelimited).string(value);
}

function optionalText(writer: BinaryWriter, field: number, value: string | undefined): void {
  if (value !== undefined) writer.tag(field, LengthDelimited).string(value);
}

function integer(writer: BinaryWriter, field: number, value: number): void {
  if (value !== 0) writer.tag(field, Varint).int32(value);
}

/** Reads a `MuxResponse`. A malformed frame or event fails with the codec's `internal` error. */
export function decodeMuxResponse(bytes: Uint8Array): MuxResponseFrame {
  const reader = new BinaryReader(bytes);
  let callId = 0;
  let events: sdk.StreamEvent[] = [];
  let status: MuxStatus | undefined;
  while (reader.pos < reader.len) {
    // The tag read as one varint: reader.tag() would build a tuple per field.
    const tag = reader.uint32();
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field === 1 && wireType === Varint) callId = reader.uint32();
    else if (field === 2 && wireType === LengthDelimited) events = readBatch(reader.bytes());
    else if (field === 3 && wireType === LengthDelimited) status = fromBinary(MuxStatusSchema, reader.bytes());
    else reader.skip(wireType, field);
  }
  return status ? { callId, status } : { callId, events };
}

function readBatch(bytes: Uint8Array): sdk.StreamEvent[] {
  const reader = new BinaryReader(bytes);
  const events: sdk.StreamEvent[] = [];
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag >>> 3 === 1 && (tag & 7) === LengthDelimited) events.push(readEvent(reader.bytes()));
    else reader.skip(tag & 7, tag >>> 3);
  }
  return events;
}

function readEvent(bytes: Uint8Array): sdk.StreamEvent {
  const reader = new BinaryReader(bytes);
  let event: sdk.StreamEvent | undefined;
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    const field = tag >>> 3;
    if (field >= 1 && field <= 9 && (tag & 7) === LengthDelimited) event = readKind(field, reader.bytes());
    else reader.skip(tag & 7, field);
  }
  if (!event) throw codecError('internal', 'Chat event has no known kind');
  return event;
}

/**
 * One event message's fields. Every field of every kind is a string or an int32 (enum values included)
 * numbered 1 to 5, told apart by wire type, so one loop reads all nine kinds into locals.
 */
function readKind(kind: number, bytes: Uint8Array): sdk.StreamEvent {
  const reader = new BinaryReader(bytes);
  let t1: string | undefined, t2: string | undefined, t3: string | undefined, t4: string | undefined;
  let n1: number | undefined, n2: number | undefined, n3: number | undefined, n4: number | undefined, n5: number | undefined;
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (wireType === Varint) {
      const value = reader.int32();
      if (field === 1) n1 = value;
      else if (field === 2) n2 = value;
      else if (field === 3) n3 = value;
      else if (field === 4) n4 = value;
      else if (field === 5) n5 = value;
    } else if (wireType === LengthDelimited) {
      const value = reader.string();
      if (field === 1) t1 = value;
      else if (field === 2) t2 = value;
      else if (field === 3) t3 = value;
      else if (field === 4) t4 = value;
    } else reader.skip(wireType, field);
  }
  switch (kind) {
    case 1:
      return omitUndefined({ type: 'start', id: t1 ?? '', model: t2 ?? '', provider: t3, endpoint: t4, attempts: n5 });
    case 2:
      return { type: 'text-delta', text: t1 ?? '' };
    case 3:
      return omitUndefined({ type: 'reasoning-delta', text: t1 ?? '', signature: t2 });
    case 4:
      return { type: 'redacted-reasoning', data: t1 ?? '' };
    case 5:
      return omitUndefined({ type: 'tool-call-start', index: n1 ?? 0, id: t2 ?? '', name: t3 ?? '', signature: t4 });
    case 6:
      return { type: 'tool-call-delta', index: n1 ?? 0, argumentsDelta: t2 ?? '' };
    case 7:
      return { type: 'tool-call-end', index: n1 ?? 0 };
    case 8:
      // A reason this build does not know (a newer llm-proxy's) still ends the stream: report it as "other".
      return omitUndefined({ type: 'finish', reason: finishReasons.fromProto((n1 ?? 0) as FinishReason) ?? 'other', stopSequence: t2 });
    default:
      return {
        type: 'usage',
        usage: omitUndefined({ inputTokens: n1 ?? 0, outputTokens: n2 ?? 0, cacheReadTokens: n3, cacheWriteTokens: n4, reasoningTokens: n5 }),
      };
  }
}
