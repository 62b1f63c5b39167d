import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { ProtoWriter } from './proto-writer.js';

type Writer = Pick<BinaryWriter, 'tag' | 'uint32' | 'int32' | 'int64' | 'bool' | 'double' | 'string' | 'bytes' | 'fork' | 'join' | 'finish'>;

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** The same calls on protobuf-es's writer and on ours. */
function both(write: (writer: Writer) => void): [string, string] {
  const theirs = new BinaryWriter();
  write(theirs);
  const ours = new ProtoWriter();
  write(ours as unknown as Writer);
  return [hex(ours.finish()), hex(theirs.finish())];
}

const { Varint, Bit64, LengthDelimited } = WireType;

const STRINGS = ['', 'a', 'é'.repeat(42), 'é'.repeat(43), '€'.repeat(42), '😀'.repeat(21), '\ud800 lone', 'x'.repeat(127), 'x'.repeat(128), 'y'.repeat(20_000)];

describe('ProtoWriter', () => {
  it.each(STRINGS.map((value) => [value.length, value]))('writes a string of %i characters as protobuf-es does', (_length, value) => {
    const [ours, theirs] = both((writer) => writer.tag(1, LengthDelimited).string(value));
    expect(ours).toBe(theirs);
  });

  it('writes numbers as protobuf-es does', () => {
    const [ours, theirs] = both((writer) => {
      for (const value of [0, 1, 127, 128, 0x7fffffff, -1, -0x80000000]) writer.tag(1, Varint).int32(value);
      for (const value of [0, 300, 0xffffffff]) writer.tag(2, Varint).uint32(value);
      for (const value of [0n, 1n, -1n, 2n ** 53n, -(2n ** 53n)]) writer.tag(3, Varint).int64(value);
      for (const value of [0, -0.5, 1e300, Number.NaN]) writer.tag(4, Bit64).double(value);
      writer.tag(5, Varint).bool(true).tag(5, Varint).bool(false);
    });
    expect(ours).toBe(theirs);
  });

  it('writes nested forks whose lengths need one, two and three bytes', () => {
    const [ours, theirs] = both((writer) => {
      for (const size of [0, 100, 200, 20_000]) {
        writer.tag(1, LengthDelimited).fork();
        writer.tag(1, LengthDelimited).fork().tag(2, LengthDelimited).string('z'.repeat(size)).join();
        writer.tag(3, LengthDelimited).bytes(new Uint8Array(size).fill(7));
        writer.join();
      }
    });
    expect(ours).toBe(theirs);
  });

  it('writes a small message as it should after a large one', () => {
    both((writer) => writer.tag(1, LengthDelimited).string('w'.repeat(200_000)));
    const [ours, theirs] = both((writer) => writer.tag(1, LengthDelimited).fork().tag(1, Varint).int32(5).join());
    expect(ours).toBe(theirs);
  });

  it('refuses what protobuf-es refuses, with its message', () => {
    for (const [write, message] of [
      [(writer: Writer) => writer.int32(2 ** 31), 'invalid int32: 2147483648'],
      [(writer: Writer) => writer.int32(1.5), 'invalid int32: 1.5'],
      [(writer: Writer) => writer.uint32(-1), 'invalid uint32: -1'],
    ] as const) {
      expect(() => write(new BinaryWriter())).toThrow(message);
      expect(() => write(new ProtoWriter() as unknown as Writer)).toThrow(message);
    }
  });
});
