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

  it('counts the requests of the last ten whole seconds', () => {
    const budget = new RetryBudget(10, 0);
    for (let index = 0; index < 100; index += 1) budget.recordRequest(1_000);
    for (let index = 0; index < 100; index += 1) budget.recordRequest(6_500);
    // Seconds 1 to 10: 200 requests allow 20 retries.
    for (let index = 0; index < 20; index += 1) expect(budget.tryRetry(10_900)).toBe(true);
    expect(budget.tryRetry(10_900)).toBe(false);
    // Second 1 has left the window: 100 requests allow 10, and 20 are taken.
    expect(budget.tryRetry(11_000)).toBe(false);
    // Seconds 11 to 20 hold neither those retries nor those requests.
    for (let index = 0; index < 50; index += 1) budget.recordRequest(20_000);
    for (let index = 0; index < 5; index += 1) expect(budget.tryRetry(20_999)).toBe(true);
    expect(budget.tryRetry(20_999)).toBe(false);
  });
});
