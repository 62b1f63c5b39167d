import { parseDurationSeconds, parseRetryAfter, parseRetryHint } from './parse-retry-after.js';

const now = Date.parse('2026-01-01T00:00:00Z');

describe('parseRetryAfter', () => {
  it('reads seconds, including fractions', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': '20' }), now)).toBe(20_000);
    expect(parseRetryAfter(new Headers({ 'retry-after': '1.5' }), now)).toBe(1_500);
    expect(parseRetryAfter(new Headers({ 'retry-after': '0' }), now)).toBe(0);
  });

  it('reads an HTTP-date relative to now, and a past date as zero', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }), now)).toBe(30_000);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Wed, 31 Dec 2025 23:59:00 GMT' }), now)).toBe(0);
  });

  it('prefers retry-after-ms, which is more precise', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '250.5', 'retry-after': '1' }), now)).toBe(251);
  });

  it('ignores absent and unreadable values', () => {
    expect(parseRetryAfter(new Headers(), now)).toBeUndefined();
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(parseRetryAfter(new Headers({ 'retry-after': '-5' }), now)).toBeUndefined();
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': 'abc', 'retry-after': '2' }), now)).toBe(2_000);
  });
});

describe('parseDurationSeconds', () => {
  it('reads protobuf JSON durations as Gemini sends them', () => {
    expect(parseDurationSeconds('34.4s')).toBe(34_400);
    expect(parseDurationSeconds('3s')).toBe(3_000);
    expect(parseDurationSeconds('34.4')).toBeUndefined();
    expect(parseDurationSeconds(12)).toBeUndefined();
  });
});

describe('parseRetryHint', () => {
  it('reads the delays providers write into their messages', () => {
    expect(parseRetryHint('Rate limit reached; retry after 9s.')).toBe(9_000);
    expect(parseRetryHint('Please try again in 20s.')).toBe(20_000);
    expect(parseRetryHint('Please try again in 6ms.')).toBe(6);
    expect(parseRetryHint('Please retry in 34.4s.')).toBe(34_400);
    expect(parseRetryHint('Limit exceeded, try again in 1m30.5s')).toBe(90_500);
    expect(parseRetryHint('try again in 2 seconds')).toBe(2_000);
    expect(parseRetryHint('Retry after 2 minutes')).toBe(120_000);
  });

  it('says nothing when the message names no delay', () => {
    expect(parseRetryHint('Rate limit reached. Try again later.')).toBeUndefined();
    expect(parseRetryHint('The model is overloaded.')).toBeUndefined();
  });
});
