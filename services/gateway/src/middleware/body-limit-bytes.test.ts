import { bodyLimitBytes } from './body-limit-bytes.js';

describe('bodyLimitBytes', () => {
  it('reads a limit as raw-body and body-parser read it, in binary units, case and spaces aside', () => {
    expect(bodyLimitBytes('20mb')).toBe(20 * 1024 * 1024);
    expect(bodyLimitBytes('512 KB')).toBe(512 * 1024);
    expect(bodyLimitBytes('10  mb')).toBe(10 * 1024 * 1024);
    expect(bodyLimitBytes('2GB')).toBe(2 * 1024 ** 3);
    expect(bodyLimitBytes('+3tb')).toBe(3 * 1024 ** 4);
    expect(bodyLimitBytes('1 pb')).toBe(1024 ** 5);
  });

  it('rounds a fractional size down to whole bytes', () => {
    expect(bodyLimitBytes('1.5kb')).toBe(1536);
    expect(bodyLimitBytes('0.1mb')).toBe(104857);
  });

  it('reads a bare number, or one followed by anything else, as bytes', () => {
    expect(bodyLimitBytes('1048576')).toBe(1048576);
    expect(bodyLimitBytes('64b')).toBe(64);
  });

  it('gives no limit for what it cannot read', () => {
    expect(bodyLimitBytes('abc')).toBeNull();
    expect(bodyLimitBytes('')).toBeNull();
  });
});
