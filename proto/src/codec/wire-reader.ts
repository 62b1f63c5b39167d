import { codecError } from './codec-error.js';

/** Wire types as protobuf numbers them. */
export const VARINT = 0;
export const BIT64 = 1;
export const LENGTH_DELIMITED = 2;
export const BIT32 = 5;

/** A field's tag as the wire writes it: field number and wire type. */
export function tagOf(field: number, wireType: number): number {
  return (field << 3) | wireType;
}

/**
 * Reads protobuf fields by hand from one position in one buffer: no reader or sub-array per nested
 * message, strings through Buffer's UTF-8 slice. Each read names the end of the message it is in, and
 * a length or value running past it fails with the codec's `internal` error (a malformed frame).
 */
export class WireReader {
  readonly bytes: Buffer;
  pos = 0;

  constructor(bytes: Uint8Array) {
    this.bytes = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** A varint's low 32 bits, unsigned (`| 0` reads an int32 or enum, sign-extended to ten bytes on the wire). */
  varint(end: number): number {
    let value = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (this.pos >= end) throw truncated();
      const byte = this.bytes[this.pos++]!;
      if (shift < 32) value |= (byte & 0x7f) << shift;
      if (byte < 0x80) return value >>> 0;
    }
    throw codecError('internal', 'Malformed varint');
  }

  /** A signed 64-bit varint. */
  int64(end: number): bigint {
    let value = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.pos >= end) throw truncated();
      const byte = this.bytes[this.pos++]!;
      value |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return BigInt.asIntN(64, value);
    }
    throw codecError('internal', 'Malformed varint');
  }

  bool(end: number): boolean {
    return this.varint(end) !== 0;
  }

  double(end: number): number {
    if (this.pos + 8 > end) throw truncated();
    const value = this.bytes.readDoubleLE(this.pos);
    this.pos += 8;
    return value;
  }

  /** Reads a length and returns where the length-delimited field it opens ends. */
  fieldEnd(end: number): number {
    const length = this.varint(end);
    const stop = this.pos + length;
    if (stop > end) throw truncated();
    return stop;
  }

  string(end: number): string {
    const stop = this.fieldEnd(end);
    const value = this.bytes.toString('utf8', this.pos, stop);
    this.pos = stop;
    return value;
  }

  /** A length-delimited field's bytes, as a view. */
  sub(end: number): Uint8Array {
    const stop = this.fieldEnd(end);
    const value = this.bytes.subarray(this.pos, stop);
    this.pos = stop;
    return value;
  }

  skip(wireType: number, end: number): void {
    if (wireType === VARINT) this.varint(end);
    else if (wireType === LENGTH_DELIMITED) this.pos = this.fieldEnd(end);
    else if (wireType === BIT64 || wireType === BIT32) {
      this.pos += wireType === BIT64 ? 8 : 4;
      if (this.pos > end) throw truncated();
    } else throw codecError('internal', `Unexpected wire type ${wireType}`);
  }
}

function truncated() {
  return codecError('internal', 'A message ends in the middle of a field');
}
