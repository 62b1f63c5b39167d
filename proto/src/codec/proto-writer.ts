import { varintLength, writeInt32, writeVarint } from './varint.js';

/** Bytes kept between messages; a larger message gets a buffer of its own, let go once it is written. */
const KEPT_BYTES = 64 * 1024;
/** A string this short takes at most 127 bytes as UTF-8: its length fits the one byte kept for it. */
const SHORT_STRING = 42;

let kept: Buffer = Buffer.allocUnsafe(4096);

/**
 * protobuf-es's `BinaryWriter`, for the part of its API the `MuxOpen` writer uses and with the same
 * bytes and refusals, written into one buffer: a fork keeps one byte for its length and moves its
 * content along in the rare case the length needs more, strings are written by Buffer's UTF-8 write,
 * and `finish` copies the message out once. No chunk per field, no array per fork, no TextEncoder
 * result per string. One message is written at a time (writing is synchronous), into a buffer kept
 * from message to message.
 */
export class ProtoWriter {
  #bytes: Buffer;
  #at = 0;
  /** Where each open fork's content starts; its length goes in the byte before. */
  readonly #forks: number[] = [];

  constructor() {
    this.#bytes = kept;
  }

  tag(field: number, wireType: number): this {
    return this.uint32(((field << 3) | wireType) >>> 0);
  }

  uint32(value: number): this {
    assertUInt32(value);
    this.#room(5);
    this.#at = writeVarint(this.#bytes, this.#at, value);
    return this;
  }

  int32(value: number): this {
    assertInt32(value);
    this.#room(10);
    this.#at = writeInt32(this.#bytes, this.#at, value);
    return this;
  }

  int64(value: bigint): this {
    this.#room(10);
    let rest = BigInt.asUintN(64, value);
    while (rest >= 0x80n) {
      this.#bytes[this.#at++] = Number(rest & 0x7fn) | 0x80;
      rest >>= 7n;
    }
    this.#bytes[this.#at++] = Number(rest);
    return this;
  }

  bool(value: boolean): this {
    this.#room(1);
    this.#bytes[this.#at++] = value ? 1 : 0;
    return this;
  }

  double(value: number): this {
    this.#room(8);
    this.#at = this.#bytes.writeDoubleLE(value, this.#at);
    return this;
  }

  string(value: string): this {
    if (value.length <= SHORT_STRING) {
      this.#room(1 + 3 * value.length);
      const start = this.#at + 1;
      const length = this.#bytes.write(value, start, 'utf8');
      this.#bytes[this.#at] = length;
      this.#at = start + length;
      return this;
    }
    const length = Buffer.byteLength(value, 'utf8');
    this.#room(5 + length);
    this.#at = writeVarint(this.#bytes, this.#at, length);
    this.#at += this.#bytes.write(value, this.#at, length, 'utf8');
    return this;
  }

  bytes(value: Uint8Array): this {
    this.#room(5 + value.length);
    this.#at = writeVarint(this.#bytes, this.#at, value.length);
    this.#bytes.set(value, this.#at);
    this.#at += value.length;
    return this;
  }

  fork(): this {
    this.#room(1);
    this.#at += 1;
    this.#forks.push(this.#at);
    return this;
  }

  join(): this {
    const start = this.#forks.pop();
    if (start === undefined) throw new Error('invalid state, fork stack empty');
    const length = this.#at - start;
    const extra = varintLength(length) - 1;
    if (extra > 0) {
      this.#room(extra);
      this.#bytes.copyWithin(start + extra, start, this.#at);
      this.#at += extra;
    }
    writeVarint(this.#bytes, start - 1, length);
    return this;
  }

  /** The message's bytes, in a buffer of their own. */
  finish(): Uint8Array {
    // Out of Node's pool: the open is kept for the life of its call, and a pooled slice would keep its neighbours.
    const message = Buffer.allocUnsafeSlow(this.#at);
    this.#bytes.copy(message, 0, 0, this.#at);
    if (this.#bytes.length <= KEPT_BYTES) kept = this.#bytes;
    this.#at = 0;
    return message;
  }

  #room(bytes: number): void {
    const needed = this.#at + bytes;
    if (needed <= this.#bytes.length) return;
    const grown = Buffer.allocUnsafe(Math.max(needed, 2 * this.#bytes.length));
    this.#bytes.copy(grown, 0, 0, this.#at);
    this.#bytes = grown;
  }
}

/** protobuf-es's check and message for an int32 field. */
function assertInt32(value: number): void {
  if (typeof value !== 'number') throw new Error(`invalid int32: ${typeof value}`);
  if (!Number.isInteger(value) || value > 0x7fffffff || value < -0x80000000) throw new Error(`invalid int32: ${value}`);
}

function assertUInt32(value: number): void {
  if (typeof value !== 'number') throw new Error(`invalid uint32: ${typeof value}`);
  if (!Number.isInteger(value) || value > 0xffffffff || value < 0) throw new Error(`invalid uint32: ${value}`);
}
