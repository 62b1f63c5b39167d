import { encodeCombined } from './combined-frames.js';
import { varintLength, writeVarint } from './codec/varint.js';

/**
 * The gateway's `MuxRequest` frames as bytes, written by hand from the .proto's field numbers: the
 * `open` body comes encoded once (writeMuxOpen; its size decides 413 before anything is sent, and a retry on another
 * stream reuses it), and credit and cancel frames cost a few bytes without building a message. Bytes go
 * to the stream as they are (the serializer passes a Uint8Array through). A frame lives only until it is
 * written, so it comes from Node's buffer pool, every byte of it written here. mux-frames.test.ts decodes
 * each with the generated schema.
 */

const CALL_ID = 0x08; // field 1, varint
const OPEN = 0x12; // field 2, length-delimited
const CREDIT = 0x18; // field 3, varint
const CANCEL = 0x20; // field 4, varint
const COMBINED = 0x2a; // field 5, length-delimited

export function openFrame(callId: number, open: Uint8Array): Uint8Array {
  const frame = Buffer.allocUnsafe(1 + varintLength(callId) + 1 + varintLength(open.length) + open.length);
  let at = writeVarint(frame, writeTag(frame, 0, CALL_ID), callId);
  at = writeVarint(frame, writeTag(frame, at, OPEN), open.length);
  frame.set(open, at);
  return frame;
}

export function creditFrame(callId: number, credit: number): Uint8Array {
  const frame = Buffer.allocUnsafe(2 + varintLength(callId) + varintLength(credit));
  writeVarint(frame, writeTag(frame, writeVarint(frame, writeTag(frame, 0, CALL_ID), callId), CREDIT), credit);
  return frame;
}

export function cancelFrame(callId: number): Uint8Array {
  const frame = Buffer.allocUnsafe(3 + varintLength(callId));
  writeVarint(frame, writeTag(frame, writeVarint(frame, writeTag(frame, 0, CALL_ID), callId), CANCEL), 1);
  return frame;
}

function writeTag(frame: Uint8Array, at: number, tag: number): number {
  frame[at] = tag;
  return at + 1;
}

/** One `MuxRequest` carrying `frames` (encoded frames, in order) as its `combined` field; `length` is the sum of their {@link combinedFrameLength}s. */
export function encodeCombinedRequests(frames: readonly Uint8Array[], length: number): Uint8Array {
  return encodeCombined(COMBINED, frames, length);
}
