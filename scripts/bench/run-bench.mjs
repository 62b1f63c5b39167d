#!/usr/bin/env node
/**
 * `npm run bench`: the same load against one fake upstream, directly, through nginx (the floor any proxy
 * pays, when nginx is installed), through the two Node floors (one hop; the bare gRPC path) and through
 * nachos (gateway + llm-proxy), interleaved in rounds. Prints latency, throughput, paced streams, CPU per
 * request and per token, memory and the counts per answer, then every budget as met or missed, and writes
 * the figures as JSON to a temp file. `--soak` runs the slow-stream load test instead. Every process it
 * starts is stopped at the end, on error and on Ctrl-C. Options: `npm run bench -- --help`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBenchOptions } from './bench-options.mjs';
import { describeMachine } from './describe-machine.mjs';
import { countPerAnswer } from './count-per-answer.mjs';
import { moveTo, placement } from './cpu-placement.mjs';
import { startLoadGenerator } from './load-generator-client.mjs';
import { onCleanup, stopAll, stopAllOnExit, wasInterrupted } from './managed-processes.mjs';
import { startNachos } from './nachos-services.mjs';
import { findNginx, startNginx } from './nginx-pass-through.mjs';
import { formatReport } from './print-report.mjs';
import { measuredGroup } from './process-usage.mjs';
import { runRounds, scenariosOf } from './run-rounds.mjs';
import { runSoak } from './run-soak.mjs';
import { measureIdleWakeUps } from './measure-idle.mjs';
import { startFakeUpstream } from './start-fake-upstream.mjs';
import { startGrpcFloor, startNodeProxyFloor } from './start-floors.mjs';
import { otherLoadShare, summarizeResults, summarizeStartUp } from './summarize-results.mjs';
import { verifyTargets } from './verify-targets.mjs';

/** Lets start-up garbage settle before the idle memory is read. */
const SETTLE_MS = 1_000;

const startedAt = performance.now();

/** Progress on stderr, with the seconds since start, so a slow phase shows where the time went. */
function progress(line) {
  process.stderr.write(`  ${((performance.now() - startedAt) / 1000).toFixed(1).padStart(6)} s  ${line}\n`);
}

/** What the JSON keeps of a window: its figures, not its raw samples. */
function windowRecord({ round, scenario, target, result, cpuTicks, otherTicks, rssBefore, peakRss }) {
  return { round, scenario, target, requests: result.requests, errors: result.errors, elapsedMs: result.elapsedMs, cpuTicks, otherTicks, rssBefore, peakRss };
}

async function main() {
  stopAllOnExit();
  const options = readBenchOptions();
  const loadAverageAtStart = loadavg()[0];
  moveTo(placement?.load, process.pid);
  const workDirectory = mkdtempSync(join(tmpdir(), 'nachos-bench-'));
  onCleanup(() => rmSync(workDirectory, { recursive: true, force: true }));
  if (options.soak) {
    await runSoak({ options, workDirectory, onProgress: progress });
    return undefined;
  }
  const profileDirectory = options.cpuProfile ? mkdtempSync(join(tmpdir(), 'nachos-bench-profiles-')) : undefined;
  const system = placement?.system;

  progress('starting the fake upstream');
  const upstream = await startFakeUpstream({ cores: placement?.load });
  const notes = [];
  const nginxBinary = options.targets.includes('nginx') ? findNginx() : undefined;
  if (options.targets.includes('nginx') && !nginxBinary) {
    notes.push('NOTE: the nginx column is skipped: no nginx on PATH or at /usr/sbin/nginx (Debian: apt-get install nginx-light).');
    progress(notes.at(-1));
  }
  // Upstream connections kept idle as long as the floors' pools keep theirs. With the default 4 s, nachos idle
  // between its windows would close what its last window opened (1,000 sockets after p1000) about 4 s later:
  // in the next target's window, on the core they share, which then read up to 0.2 s of CPU it did not spend.
  const settings = { LLM_PROXY_UPSTREAM_IDLE_MS: '120000' };
  // Started side by side (start-up is most of a quick run), listed in TARGETS order.
  const starters = {
    nginx: nginxBinary && (() => startNginx(nginxBinary, join(workDirectory, 'nginx'), upstream.port, system)),
    'node-proxy': () => startNodeProxyFloor({ upstreamUrl: upstream.url, cores: system }),
    'grpc-floor': () => startGrpcFloor({ upstreamUrl: upstream.url, cores: system }),
    baseline: options.baseline && (() => startNachos({ upstreamUrl: `${upstream.url}/v1`, workDirectory, cores: system, settings, root: options.baseline, labelPrefix: 'baseline ' })),
    nachos: () => startNachos({ upstreamUrl: `${upstream.url}/v1`, workDirectory, profileDirectory, cores: system, settings }),
  };
  const chosen = options.targets.filter((name) => starters[name]);
  progress(`starting ${chosen.join(', ')}`);
  const started = Object.fromEntries(await Promise.all(chosen.map(async (name) => [name, await starters[name]()])));
  const targets = [{ name: 'direct', url: upstream.url }, ...chosen.map((name) => ({ name, url: started[name].url }))];
  const groups = [upstream.group, ...chosen.flatMap((name) => started[name].groups)];
  const nginxVersion = started.nginx?.version;
  const nachos = started.nachos;
  if (nachos && profileDirectory) notes.push("NOTE: the services ran under --cpu-prof; their figures include the profiler's own cost.");
  const loadGenerator = startLoadGenerator({ cores: placement?.load });
  const loadGeneratorPid = loadGenerator.managed.child.pid;

  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const idleRss = Object.fromEntries(groups.map((group) => [group.label, group.residentMegabytes()]));
  await verifyTargets(targets);

  const measured = [...groups, measuredGroup('load generator', () => [loadGeneratorPid])];
  const { windows, startUp } = await runRounds({ options, targets, loadGenerator, groups: measured, onProgress: progress });
  let counts = [];
  if (nachos) {
    progress('counting per answer');
    counts = await countPerAnswer(nachos, upstream);
  }
  progress('counting wake-ups while idle');
  const idleWakeUps = await measureIdleWakeUps(groups);
  const targetNames = targets.map((target) => target.name);
  const summary = summarizeResults(windows, scenariosOf(options), targetNames);
  const startUpCost = summarizeStartUp(startUp);
  const environment = { ...describeMachine(nginxVersion, loadAverageAtStart), otherLoad: otherLoadShare(windows, cpus().length) };
  console.log(formatReport({ options, environment, summary, startUp: startUpCost, idleRss, idleWakeUps, counts, targets: targetNames, notes }));

  const resultsPath = join(tmpdir(), `nachos-bench-${environment.date.replaceAll(':', '-')}.json`);
  const results = { environment, options, targets: targetNames, notes, idleRss, idleWakeUps, counts, summary, startUp: startUpCost, windows: windows.map(windowRecord) };
  writeFileSync(resultsPath, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nresults as JSON: ${resultsPath}`);
  return profileDirectory;
}

try {
  const profileDirectory = await main();
  await stopAll();
  if (profileDirectory) console.log(`CPU profiles of the gateway and llm-proxy (open in Chrome DevTools): ${profileDirectory}`);
} catch (error) {
  if (!wasInterrupted()) {
    console.error(`benchmark failed: ${error.message}`);
    await stopAll();
    process.exitCode = 1;
  }
}
