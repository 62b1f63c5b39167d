import { stopAll } from '../../scripts/bench/managed-processes.mjs';
import { startFakeUpstream } from '../../scripts/bench/start-fake-upstream.mjs';
import { startGrpcFloor, startNodeProxyFloor } from '../../scripts/bench/start-floors.mjs';
import { verifyTargets } from '../../scripts/bench/verify-targets.mjs';

/**
 * The benchmark's floors (the one-hop Node proxy and the bare gRPC path over the project's own proto
 * messages) still relay the fake upstream's completions and streams faithfully: a change to the proto or to
 * a library they share with nachos must not leave `npm run bench` measuring broken fixtures. No timings.
 */
describe('benchmark floors', () => {
  afterAll(async () => {
    await stopAll();
  });

  it('relay a completion and a stream as the upstream sent them', async () => {
    const upstream = await startFakeUpstream();
    const floors = [
      { name: 'node-proxy', ...(await startNodeProxyFloor({ upstreamUrl: upstream.url })) },
      { name: 'grpc-floor', ...(await startGrpcFloor({ upstreamUrl: upstream.url })) },
    ];
    await expect(verifyTargets(floors)).resolves.toBeUndefined();
    expect((await upstream.counts()).requests).toBeGreaterThanOrEqual(4);
  });
});
