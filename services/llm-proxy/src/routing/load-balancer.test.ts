import { MemoryState } from '@nachos/common';
import type { ActiveEndpoint } from '../endpoints/active-endpoint.js';
import { LoadBalancer } from './load-balancer.js';
import type { ModelRoute } from './model-route.js';

function route(id: string, weight = 1): ModelRoute {
  return {
    endpoint: { definition: { id, weight } } as unknown as ActiveEndpoint,
    upstreamModel: 'm',
    info: undefined,
  };
}

const firstOf = async (balancer: LoadBalancer, routes: ModelRoute[], times: number) => {
  const picks: string[] = [];
  for (let index = 0; index < times; index += 1) picks.push((await balancer.order('m', routes))[0]!.endpoint.definition.id);
  return picks;
};

describe('LoadBalancer', () => {
  it('round robin spreads by weight, smoothly', async () => {
    const balancer = new LoadBalancer('round_robin', new MemoryState());
    const picks = await firstOf(balancer, [route('a', 2), route('b', 1)], 6);
    expect(picks).toEqual(['a', 'b', 'a', 'a', 'b', 'a']);
  });

  it('keeps every other endpoint behind the pick, as the failover order', async () => {
    const balancer = new LoadBalancer('round_robin', new MemoryState());
    const order = await balancer.order('m', [route('a'), route('b'), route('c')]);
    expect(order.map((entry) => entry.endpoint.definition.id)).toHaveLength(3);
  });

  it('least connections prefers the endpoint with the fewest live leases (any replica)', async () => {
    const state = new MemoryState();
    await state.holdLease('a', 'one', 10_000);
    await state.holdLease('a', 'two', 10_000);
    await state.holdLease('b', 'three', 10_000);
    const balancer = new LoadBalancer('least_connections', state);
    const order = await balancer.order('m', [route('a'), route('b'), route('c')]);
    expect(order.map((entry) => entry.endpoint.definition.id)).toEqual(['c', 'b', 'a']);
  });

  it('latency prefers the lowest moving average of time to first token, measuring unknown endpoints first', async () => {
    const balancer = new LoadBalancer('latency', new MemoryState());
    balancer.recordFirstToken('a', 300);
    balancer.recordFirstToken('b', 100);
    expect((await balancer.order('m', [route('a'), route('b'), route('c')])).map((entry) => entry.endpoint.definition.id)).toEqual(['c', 'b', 'a']);
    balancer.recordFirstToken('c', 1_000);
    balancer.recordFirstToken('b', 1_000);
    // b's average moves towards 1000 (100 → 370) but stays above a's 300.
    expect((await balancer.order('m', [route('a'), route('b'), route('c')])).map((entry) => entry.endpoint.definition.id)).toEqual(['a', 'b', 'c']);
  });
});
