/**
 * Varints for the frames written by hand (mux-frames.ts, mux-events.ts), straight into a byte array
 * whose size was counted first.
 */

/** Writes an unsigned 32-bit value; returns the offset after it. */
export function writeVarint(bytes: Uint8Array, at: number, value: number): number {
  let rest = value >>> 0;
  while (rest >= 0x80) {
    bytes[at++] = (rest & 0x7f) | 0x80;
    rest >>>= 7;
  }
  bytes[at++] = rest;
  return at;
}

export function varintLength(value: number): number {
  let length = 1;
  for (let rest = value >>> 7; rest > 0; rest >>>= 7) length += 1;
  return length;
}

/** A negative int32 is sign-extended to 64 bits on the wire, as protobuf writes it: ten bytes. */
export function int32Length(value: number): number {
  return value < 0 ? 10 : varintLength(value);
}

export function writeInt32(bytes: Uint8Array, at: number, value: number): number {
  if (value >= 0) return writeVarint(bytes, at, value);
  let low = value >>> 0;
  for (let i = 0; i < 4; i++) {
    bytes[at++] = (low & 0x7f) | 0x80;
    low >>>= 7;
  }
  // Bits 28-31 of the value, then the sign's ones up to bit 63.
  bytes[at++] = low | 0xf0;
  for (let i = 0; i < 4; i++) bytes[at++] = 0xff;
  bytes[at++] = 0x01;
  return at;
}
