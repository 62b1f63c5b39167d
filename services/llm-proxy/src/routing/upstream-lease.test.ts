import { MemoryState, type SharedState } from '@nachos/common';
import { holdUpstreamLease } from './upstream-lease.js';

describe('holdUpstreamLease', () => {
  it('holds nothing, and gives nothing to wait for, outside least-connections', () => {
    const state = new MemoryState();
    expect(holdUpstreamLease(state, 'round_robin', 'openai')).toBeUndefined();
    expect(holdUpstreamLease(state, 'latency', 'openai')).toBeUndefined();
  });

  it('holds a lease under least-connections until it is released, once however often', async () => {
    const state = new MemoryState();
    const first = await holdUpstreamLease(state, 'least_connections', 'openai');
    const second = await holdUpstreamLease(state, 'least_connections', 'openai');
    expect(await state.countLeases(['openai'])).toEqual([2]);
    await first?.release();
    await first?.release();
    expect(await state.countLeases(['openai'])).toEqual([1]);
    await second?.release();
    expect(await state.countLeases(['openai'])).toEqual([0]);
  });

  it('lets the call go ahead when the store cannot take the lease', async () => {
    const failing = new Proxy(new MemoryState(), {
      get: (target, name) => (name === 'holdLease' || name === 'releaseLease' ? () => Promise.reject(new Error('store down')) : Reflect.get(target, name)),
    }) as SharedState;
    const lease = await holdUpstreamLease(failing, 'least_connections', 'openai');
    await expect(lease?.release()).resolves.toBeUndefined();
  });
});
