#!/usr/bin/env node
/**
 * `npm run bench`: the same load against one fake upstream, directly, through nginx (the floor any proxy
 * pays, when nginx is installed) and through nachos (gateway + llm-proxy), interleaved in rounds. Prints
 * latency, throughput, stream timings, CPU per request and memory per process beside the project's budgets,
 * and writes the figures as JSON to a temp file. Every process it starts is stopped at the end, on error
 * and on Ctrl-C. Options: `npm run bench -- --help`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readBenchOptions } from './bench-options.mjs';
import { startLoadGenerator } from './load-generator-client.mjs';
import { onCleanup, stopAll, stopAllOnExit, wasInterrupted } from './managed-processes.mjs';
import { startNachos } from './nachos-services.mjs';
import { findNginx, startNginx } from './nginx-pass-through.mjs';
import { formatReport } from './print-report.mjs';
import { measuredGroup } from './process-usage.mjs';
import { runRounds, scenariosOf } from './run-rounds.mjs';
import { startFakeUpstream } from './start-fake-upstream.mjs';
import { otherLoadShare, peakResidentMegabytes, summarizeResults } from './summarize-results.mjs';
import { verifyTargets } from './verify-targets.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Lets start-up garbage settle before the idle memory is read. */
const SETTLE_MS = 1_000;

function progress(line) {
  process.stderr.write(`  ${line}\n`);
}

function gitCommit() {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--', 'services', 'plugins', 'proto'], { cwd: ROOT, encoding: 'utf8' });
    return status.trim() === '' ? commit : `${commit} + uncommitted changes`;
  } catch {
    return 'unknown';
  }
}

function describeMachine(nginxVersion, loadAverageAtStart) {
  const cpuModel = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown CPU';
  const args = process.argv
    .slice(2)
    .map((arg) => (arg === '' || /\s/.test(arg) ? `"${arg}"` : arg))
    .join(' ');
  const settings = Object.entries(process.env)
    .filter(([name]) => name.startsWith('BENCH_'))
    .map(([name, value]) => `${name}=${value} `)
    .join('');
  return {
    date: new Date().toISOString(),
    command: `${settings}npm run bench${args ? ` -- ${args}` : ''}`,
    cpus: cpus().length,
    cpuModel,
    kernel: release(),
    node: process.version,
    nginx: nginxVersion ?? 'nginx not measured',
    commit: gitCommit(),
    loadAverageAtStart,
  };
}

/** What the JSON keeps of a window: its figures, not its raw samples. */
function windowRecord({ round, scenario, target, result, cpuTicks, otherTicks, peakRss }) {
  return { round, scenario, target, requests: result.requests, errors: result.errors, elapsedMs: result.elapsedMs, cpuTicks, otherTicks, peakRss };
}

async function main() {
  stopAllOnExit();
  const options = readBenchOptions();
  const loadAverageAtStart = loadavg()[0];
  const workDirectory = mkdtempSync(join(tmpdir(), 'nachos-bench-'));
  onCleanup(() => rmSync(workDirectory, { recursive: true, force: true }));
  const profileDirectory = options.cpuProfile ? mkdtempSync(join(tmpdir(), 'nachos-bench-profiles-')) : undefined;

  progress('starting the fake upstream');
  const upstream = await startFakeUpstream({ chunks: options.chunks, chunkGapMs: options.chunkGapMs });
  const targets = [{ name: 'direct', url: upstream.url }];
  const groups = [upstream.group];
  const notes = [];
  let nginxVersion;
  if (options.targets.includes('nginx')) {
    const binary = findNginx();
    if (binary) {
      progress(`starting ${binary}`);
      const nginx = await startNginx(binary, join(workDirectory, 'nginx'), upstream.port);
      nginxVersion = nginx.version;
      targets.push({ name: 'nginx', url: nginx.url });
      groups.push(nginx.group);
    } else {
      notes.push('NOTE: the nginx column is skipped: no nginx on PATH or at /usr/sbin/nginx (Debian: apt-get install nginx-light).');
      progress(notes.at(-1));
    }
  }
  if (options.targets.includes('nachos')) {
    progress('starting llm-proxy and the gateway');
    const nachos = await startNachos({ upstreamUrl: `${upstream.url}/v1`, workDirectory, profileDirectory });
    targets.push({ name: 'nachos', url: nachos.url });
    groups.push(...nachos.groups);
    if (profileDirectory) notes.push('NOTE: the services ran under --cpu-prof; their figures include the profiler\'s own cost.');
  }
  const loadGenerator = startLoadGenerator();
  const loadGeneratorPid = loadGenerator.managed.child.pid;

  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const idleRss = Object.fromEntries(groups.map((group) => [group.label, group.residentMegabytes()]));
  await verifyTargets(targets, options.chunks);

  const measured = [...groups, measuredGroup('load generator', () => [loadGeneratorPid])];
  const windows = await runRounds({ options, targets, loadGenerator, groups: measured, onProgress: progress });
  const targetNames = targets.map((target) => target.name);
  const summary = summarizeResults(windows, scenariosOf(options), targetNames);
  const peakRss = peakResidentMegabytes(windows);
  const environment = { ...describeMachine(nginxVersion, loadAverageAtStart), otherLoad: otherLoadShare(windows, cpus().length) };
  console.log(formatReport({ options, environment, summary, idleRss, peakRss, targets: targetNames, notes }));

  const resultsPath = join(tmpdir(), `nachos-bench-${environment.date.replaceAll(':', '-')}.json`);
  const results = { environment, options, targets: targetNames, notes, idleRss, peakRss, summary, windows: windows.map(windowRecord) };
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
