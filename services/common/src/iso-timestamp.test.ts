import { isoTimestamp } from './iso-timestamp.js';

describe('isoTimestamp', () => {
  it('writes what Date writes, across milliseconds, seconds, days and years, and again for an instant just written', () => {
    const start = Date.UTC(2026, 11, 31, 23, 59, 58, 990);
    const instants = [start, start, start + 1, start + 9, start + 10, start + 99, start + 100, start + 1009, start + 1010, start + 2345, 0, 999, 1000, -1, -1001, Date.UTC(9999, 11, 31, 23, 59, 59, 999), 8.64e15];
    for (const instant of instants) expect(isoTimestamp(instant)).toBe(new Date(instant).toISOString());
  });

  it('reads the clock when given no instant', () => {
    const before = Date.now();
    const written = Date.parse(isoTimestamp());
    expect(written).toBeGreaterThanOrEqual(before);
    expect(written).toBeLessThanOrEqual(Date.now());
  });
});
