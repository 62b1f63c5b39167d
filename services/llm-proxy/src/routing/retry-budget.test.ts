import { RetryBudget } from './retry-budget.js';

describe('RetryBudget', () => {
  it('allows a floor of retries, then a share of recent requests', () => {
    const budget = new RetryBudget(20, 1);
    const now = 1_000_000;
    for (let index = 0; index < 10; index += 1) expect(budget.tryRetry(now)).toBe(true);
    expect(budget.tryRetry(now)).toBe(false);
    for (let index = 0; index < 100; index += 1) budget.recordRequest(now);
    for (let index = 0; index < 10; index += 1) expect(budget.tryRetry(now)).toBe(true);
    expect(budget.tryRetry(now)).toBe(false);
  });

  it('forgets what is older than its window', () => {
    const budget = new RetryBudget(0, 1);
    for (let index = 0; index < 10; index += 1) budget.tryRetry(0);
    expect(budget.tryRetry(5_000)).toBe(false);
    expect(budget.tryRetry(10_001)).toBe(true);
  });
});
