import { roundOrder } from '../../scripts/bench/run-rounds.mjs';

/**
 * What a target leaves running when its window ends (a collection, sockets closing) lands in the next
 * target's window, on the core they share. The order of the rounds must not give that to one target more than
 * to another: over pairs of rounds, each target comes right after each neighbour as often as right before it,
 * and over enough rounds every target runs first as often as any other.
 */
describe('benchmark round order', () => {
  const targets = ['direct', 'nginx', 'node-proxy', 'grpc-floor', 'baseline', 'nachos'];

  it('puts every target right after a neighbour as often as right before it, over each pair of rounds', () => {
    for (let pair = 0; pair < targets.length; pair += 1) {
      const follows = new Map<string, number>();
      for (const round of [2 * pair + 1, 2 * pair + 2]) {
        const order = roundOrder(targets, round);
        expect([...order].sort()).toEqual([...targets].sort());
        for (let at = 1; at < order.length; at += 1) {
          const key = `${order[at - 1]} -> ${order[at]}`;
          follows.set(key, (follows.get(key) ?? 0) + 1);
        }
      }
      for (const [key, count] of follows) {
        const [before, after] = key.split(' -> ');
        expect([key, follows.get(`${after} -> ${before}`)]).toEqual([key, count]);
      }
    }
  });

  it('starts the rounds with every target equally often', () => {
    const firsts = new Map<string, number>();
    for (let round = 1; round <= 2 * targets.length; round += 1) {
      const first = roundOrder(targets, round)[0]!;
      firsts.set(first, (firsts.get(first) ?? 0) + 1);
    }
    expect(Object.fromEntries(firsts)).toEqual(Object.fromEntries(targets.map((target) => [target, 2])));
  });
});
