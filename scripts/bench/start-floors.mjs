/**
 * The two floors beside nachos, each a target of its own: `node-proxy` (node-proxy-floor.mjs, one
 * process) and `grpc-floor` (grpc-floor-front.mjs in front of grpc-floor-back.mjs over one Mux stream).
 * They show how far nachos is from what its own stack allows, measured in the same rounds.
 */
import { measuredGroup } from './process-usage.mjs';
import { startNodeScript } from './start-node-script.mjs';

export async function startNodeProxyFloor({ upstreamUrl, cores }) {
  const floor = await startNodeScript('node-proxy', 'node-proxy-floor.mjs', { env: { BENCH_UPSTREAM_URL: upstreamUrl }, cores });
  const pid = floor.managed.child.pid;
  return { url: floor.url, managed: [floor.managed], groups: [measuredGroup('node-proxy', () => [pid])] };
}

export async function startGrpcFloor({ upstreamUrl, cores }) {
  const back = await startNodeScript('grpc-floor back', 'grpc-floor-back.mjs', { env: { BENCH_UPSTREAM_URL: upstreamUrl }, cores });
  const front = await startNodeScript('grpc-floor front', 'grpc-floor-front.mjs', { env: { BENCH_GRPC_TARGET: `127.0.0.1:${back.port}` }, cores });
  const [frontPid, backPid] = [front.managed.child.pid, back.managed.child.pid];
  return {
    url: front.url,
    managed: [front.managed, back.managed],
    groups: [measuredGroup('floor front', () => [frontPid]), measuredGroup('floor back', () => [backPid])],
  };
}
