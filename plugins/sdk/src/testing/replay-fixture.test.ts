import { firstFrameOf } from './replay-fixture.js';

describe('firstFrameOf', () => {
  it('cuts the first SSE event and the first NDJSON line', () => {
    expect(firstFrameOf({ name: 'sse', body: 'data: {"a":1}\n\ndata: {"a":2}\n\n' })).toBe('data: {"a":1}\n\n');
    expect(firstFrameOf({ name: 'ndjson', body: '{"a":1}\n{"a":2}\n', contentType: 'application/x-ndjson' })).toBe('{"a":1}\n');
  });

  it('cuts the first AWS eventstream frame by its length prefix, bytes untouched', () => {
    // Two frames of 16 and 17 bytes; 0x9b and 0xff are not valid UTF-8 and must survive as they are.
    const first = Uint8Array.of(0, 0, 0, 16, 0, 0, 0, 0, 0x9b, 0xff, 1, 2, 3, 4, 5, 6);
    const second = Uint8Array.of(0, 0, 0, 17, ...new Array<number>(13).fill(0xff));
    const body = Uint8Array.of(...first, ...second);
    expect(firstFrameOf({ name: 'eventstream', body, contentType: 'application/vnd.amazon.eventstream' })).toEqual(first);
  });
});
