import { formatDuration, rateLimitHeaders } from './rate-limit-headers.js';

describe('rateLimitHeaders', () => {
  it('shows the key’s request and token limits as OpenAI does', () => {
    expect(
      rateLimitHeaders([
        { name: 'requests', limit: 60, used: 12, resetMs: 61_000 },
        { name: 'tokens', limit: 1_000, used: 1_200, resetMs: 1_500 },
        { name: 'concurrent', limit: 2, used: 1, resetMs: 0 },
      ]),
    ).toEqual({
      'x-ratelimit-limit-requests': '60',
      'x-ratelimit-remaining-requests': '48',
      'x-ratelimit-reset-requests': '1m1s',
      'x-ratelimit-limit-tokens': '1000',
      'x-ratelimit-remaining-tokens': '0',
      'x-ratelimit-reset-tokens': '1.5s',
    });
  });

  it('formats durations as Go does', () => {
    expect(formatDuration(250)).toBe('250ms');
    expect(formatDuration(6 * 60_000)).toBe('6m0s');
    expect(formatDuration(7_250)).toBe('7.25s');
  });
});
