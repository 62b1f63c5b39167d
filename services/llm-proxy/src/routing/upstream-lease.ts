import { randomUUID } from 'node:crypto';
import type { SharedState } from '@nachos/common';
import type { LoadBalanceStrategy } from './load-balancer.js';

const LEASE_TTL_MS = 30_000;
const LEASE_RENEW_MS = 10_000;

export interface UpstreamLease {
  /** Ends the lease; a second call does nothing. */
  release(): Promise<void>;
}

/**
 * A lease on the endpoint for one open upstream call (a chat attempt, a pass-through request), renewed while
 * it lasts, so that least-connections sees every replica's load and a dead replica's leases expire. Only
 * least-connections reads leases: under any other strategy there is none, and `undefined` comes back at once,
 * so a call has nothing to wait for. A lease the store could not take fails nothing: it is the balancer's
 * advice, and the call goes ahead.
 */
export function holdUpstreamLease(state: SharedState, strategy: LoadBalanceStrategy, endpointId: string): Promise<UpstreamLease> | undefined {
  return strategy === 'least_connections' ? hold(state, endpointId) : undefined;
}

async function hold(state: SharedState, endpointId: string): Promise<UpstreamLease> {
  const leaseId = randomUUID();
  await state.holdLease(endpointId, leaseId, LEASE_TTL_MS).catch(() => {});
  const renew = setInterval(() => void state.holdLease(endpointId, leaseId, LEASE_TTL_MS).catch(() => {}), LEASE_RENEW_MS);
  renew.unref();
  let released = false;
  return {
    release: async () => {
      if (released) return;
      released = true;
      clearInterval(renew);
      await state.releaseLease(endpointId, leaseId).catch(() => {});
    },
  };
}
