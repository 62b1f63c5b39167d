import { ProviderError } from '@nachos/plugin-sdk';
import { decideCooldown } from './cooldown-policy.js';

const settings = { rate_limit_default_ms: 30_000, rate_limit_max_ms: 600_000, auth_ms: 3_600_000, server_error_threshold: 3, server_error_ms: 30_000 };
const error = (kind: ProviderError['kind'], extra: { status?: number; retryAfterMs?: number } = {}) => new ProviderError({ kind, message: 'x', ...extra });

describe('decideCooldown', () => {
  it('honours Retry-After on 429, capped, per model', () => {
    expect(decideCooldown(error('rate_limited', { status: 429, retryAfterMs: 12_000 }), 0, settings)).toMatchObject({ scope: 'model', durationMs: 12_000 });
    expect(decideCooldown(error('rate_limited', { retryAfterMs: 86_400_000 }), 0, settings)?.durationMs).toBe(600_000);
    expect(decideCooldown(error('rate_limited'), 0, settings)?.durationMs).toBe(30_000);
  });

  it('takes a rejected key out for long, on every model, loudly', () => {
    expect(decideCooldown(error('authentication', { status: 401 }), 0, settings)).toEqual({
      scope: 'credential',
      durationMs: 3_600_000,
      reason: 'key rejected (401)',
      loud: true,
    });
    expect(decideCooldown(error('permission', { status: 403 }), 0, settings)?.scope).toBe('credential');
  });

  it('never cools a key for a failure on our own side of the connection', () => {
    const local = (kind: ProviderError['kind']) => new ProviderError({ kind, message: 'no free connection in time', local: true });
    expect(decideCooldown(local('timeout'), 10, settings)).toBeUndefined();
    expect(decideCooldown(local('unavailable'), 10, settings)).toBeUndefined();
  });

  it('cools a key after repeated server errors only', () => {
    expect(decideCooldown(error('unavailable', { status: 500 }), 2, settings)).toBeUndefined();
    expect(decideCooldown(error('unavailable', { status: 500 }), 3, settings)).toMatchObject({ scope: 'model', durationMs: 30_000 });
    expect(decideCooldown(error('timeout'), 3, settings)?.reason).toBe('3 failures in a row (timeout)');
  });

  it('never cools a key for a request error', () => {
    for (const kind of ['invalid_request', 'context_length', 'content_filter', 'not_found'] as const) {
      expect(decideCooldown(error(kind, { status: 400 }), 5, settings)).toBeUndefined();
    }
  });
});
