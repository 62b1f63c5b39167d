import type { Caller } from '../auth/caller.js';
import { planLimitChecks } from './plan-limit-checks.js';
import type { RateLimitPolicy } from './rate-limit-policy.js';

const policy: RateLimitPolicy = {
  perKey: { requestsPerMinute: 60, tokensPerMinute: 10_000, maxConcurrent: 0 },
  perUser: { inputTokenLimit: 5_000, intervalMs: 3_600_000 },
  perModel: [
    { model: 'gpt-4o*', patterns: ['gpt-4o*'], requestsPerMinute: 100, tokensPerMinute: 0, perUser: { inputTokenLimit: 0, intervalMs: 3_600_000 } },
    { model: 'claude-*', patterns: ['claude-*'], requestsPerMinute: 0, tokensPerMinute: 50_000, perUser: { inputTokenLimit: 0, intervalMs: 3_600_000 } },
    { model: 'openai/*,gpt-4', patterns: ['openai/*', 'gpt-4'], requestsPerMinute: 0, tokensPerMinute: 0, perUser: { inputTokenLimit: 1_000, intervalMs: 60_000 } },
  ],
  leaseTtlMs: 30_000,
  estimatedOutputTokens: 256,
  failedAttemptsPerMinute: 30,
  keyPrefix: 'n:',
};

const caller = (limits: Caller['limits'] = {}): Caller => ({ keyName: 'team', models: undefined, limits, keyHeader: undefined, providerKey: undefined });
const estimate = { inputTokens: 100, totalTokens: 356 };

describe('planLimitChecks', () => {
  it('checks the key’s requests, tokens, its user’s input and the matching model rules, skipping limits of 0', () => {
    const checks = planLimitChecks({ caller: caller(), model: 'gpt-4o-mini', user: 'u-1', estimate }, policy);
    expect(checks.map((check) => [check.name, check.limit, check.kind === 'window' ? check.cost : 1])).toEqual([
      ['requests', 60, 1],
      ['tokens', 10_000, 356],
      ['user_input_tokens', 5_000, 100],
      ['model_requests', 100, 1],
    ]);
    expect(new Set(checks.map((check) => check.key.split('}')[0]))).toEqual(new Set(['n:{rl']));
    expect(checks[2]?.key).not.toContain('u-1');
    expect(checks[2]).toMatchObject({ windowMs: 3_600_000 });
  });

  it('counts a rule’s per-user input tokens for every name it lists together, per end user or else per key', () => {
    const perUser = (model: string, user: string | undefined, keyName = 'team') =>
      planLimitChecks({ caller: { ...caller(), keyName }, model, user, estimate }, { ...policy, perUser: { inputTokenLimit: 0, intervalMs: 1 } }).find(
        (check) => check.name === 'user_input_tokens',
      );
    expect(perUser('openai/smart', 'u-1')).toMatchObject({ limit: 1_000, cost: 100, windowMs: 60_000 });
    expect(perUser('gpt-4', 'u-1')?.key).toBe(perUser('openai/gpt-4', 'u-1')?.key);
    expect(perUser('openai/gpt-4', 'u-2')?.key).not.toBe(perUser('openai/gpt-4', 'u-1')?.key);
    expect(perUser('openai/gpt-4', undefined)?.key).not.toBe(perUser('openai/gpt-4', undefined, 'other')?.key);
    expect(perUser('anthropic/claude', 'u-1')).toBeUndefined();
  });

  it('lets a key’s own limits override the defaults, 0 switching one off', () => {
    const checks = planLimitChecks({ caller: caller({ requestsPerMinute: 5, tokensPerMinute: 0, maxConcurrent: 2, inputTokenLimit: 0 }), model: 'claude-x', user: 'u', estimate }, policy);
    expect(checks.map((check) => [check.name, check.limit])).toEqual([
      ['requests', 5],
      ['model_tokens', 50_000],
      ['concurrent', 2],
    ]);
  });

  it('plans nothing where no limit applies, whatever the request names', () => {
    const unlimited: RateLimitPolicy = { ...policy, perKey: { requestsPerMinute: 0, tokensPerMinute: 0, maxConcurrent: 0 }, perUser: { inputTokenLimit: 0, intervalMs: 1 }, perModel: [] };
    expect(planLimitChecks({ caller: caller(), model: 'gpt-4o', user: 'u-1', estimate }, unlimited)).toEqual([]);
    expect(planLimitChecks({ caller: caller(), model: 'gpt-4', user: 'u-1', estimate }, { ...unlimited, perModel: policy.perModel.slice(0, 2) })).toEqual([]);
  });

  it('counts only requests (and open requests) for calls that name no model', () => {
    expect(planLimitChecks({ caller: caller({ maxConcurrent: 1 }), model: undefined, user: 'u', estimate }, policy).map((check) => check.name)).toEqual(['requests', 'concurrent']);
  });

  it('gives every admission its own lease, whatever request id the client chose', () => {
    const [first] = planLimitChecks({ caller: caller({ maxConcurrent: 1, requestsPerMinute: 0 }), model: undefined, user: undefined, estimate }, policy);
    const [second] = planLimitChecks({ caller: caller({ maxConcurrent: 1, requestsPerMinute: 0 }), model: undefined, user: undefined, estimate }, policy);
    expect(first?.kind === 'concurrency' && second?.kind === 'concurrency' && first.leaseId !== second.leaseId).toBe(true);
  });
});
