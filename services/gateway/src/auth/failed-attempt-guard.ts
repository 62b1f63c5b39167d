/**
 * Slows down key guessing from one client address. `blockedFor` is answered from this process's memory,
 * so a request with a valid key costs no extra round trip; `recordFailure` counts the failure where all
 * replicas see it and returns how long the address must now wait (0 while it is under the limit).
 */
export interface FailedAttemptGuard {
  blockedFor(address: string): number;
  recordFailure(address: string): Promise<number>;
}
