/**
 * `npm run bench -- --soak`: the slow-stream load test of the reliability issue. One gateway and one
 * llm-proxy (pinned like the rounds, descriptor limits raised for every process) relay `--soak-streams`
 * concurrent slow streams from the fake upstream (SOAK_PACING: the first token after a second, then one
 * every 5 s), all on loopback. While every stream is open it reads each service's RSS, open descriptors
 * and event-loop lag (the services' own Prometheus gauges, reset by the scrape when the last stream
 * started); after the streams close and each service has closed their connections and collected its
 * garbage, their RSS again. Prints errors, memory per stream, descriptors, lag, and memory after against
 * idle with the 10 % budget, and beside it each service's V8 heap in use and external memory idle, open
 * and after, so that RSS which does not come back says whether it is live objects or pages an allocator
 * kept. Bounded: it gives up after SOAK_TIMEOUT_MS.
 */
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import { pacedModel } from './bench-models.mjs';
import { placement } from './cpu-placement.mjs';
import { describeMachine } from './describe-machine.mjs';
import { descriptorLimit } from './descriptor-limit.mjs';
import { formatTable, ms } from './format-table.mjs';
import { startProcess, stopProcess } from './managed-processes.mjs';
import { startNachos } from './nachos-services.mjs';
import { openDescriptors } from './process-descriptors.mjs';
import { residentMegabytes } from './process-usage.mjs';
import { startFakeUpstream } from './start-fake-upstream.mjs';

const SOAK_PACING = { firstMs: 1_000, gapMs: 5_000, tokens: 12 };
const RAMP_PER_SECOND = 500;
const SETTLE_MS = 5_000;
/**
 * After the streams: llm-proxy's idle upstream connections close after 4 s (`upstream_idle_ms`), and each
 * service looks every 5 s whether it has been quiet for six checks in a row (30 s) and has garbage to give
 * back. "After" is read once both have happened in each service, as seen from outside: its descriptors back
 * near idle, then its idle release logged after that ("memory released when idle"; V8's own collections,
 * which /metrics counts alike, do not say it), then AFTER_GC_MS, one more of the services' checks, for a
 * second look the release may take. A fixed wait would read too early on a loaded machine, where the first
 * checks still see the teardown's work and are not quiet; at AFTER_MAX_MS it reads anyway and says so.
 */
const AFTER_MIN_MS = 15_000;
const AFTER_MAX_MS = 120_000;
const AFTER_GC_MS = 6_000;
const AFTER_POLL_MS = 1_000;
/** Descriptors above idle that still count as closed (a log file rotated, a metrics scrape's socket). */
const DESCRIPTOR_SLACK = 4;
const SOAK_TIMEOUT_MS = 180_000;
const KB_PER_STREAM = 50;
const RSS_RETURN = 0.1;
const CLIENT = fileURLToPath(new URL('./soak-client.mjs', import.meta.url));

const METRIC_PREFIXES = { gateway: 'nachos_gateway_', 'llm-proxy': 'nachos_llm_proxy_' };

function gauge(text, name) {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `));
  return line === undefined ? NaN : Number(line.slice(name.length + 1));
}

/** Each service's `/metrics` text. A scrape resets prom-client's event-loop delay histogram. */
async function scrape(services) {
  const texts = {};
  for (const [label, url] of Object.entries(services.metricsUrls)) texts[label] = await (await fetch(url)).text();
  return texts;
}

/** Event-loop delay since the previous scrape, in ms. */
function eventLoopLag(texts) {
  return Object.fromEntries(
    Object.entries(texts).map(([label, text]) => {
      const name = `${METRIC_PREFIXES[label]}nodejs_eventloop_lag`;
      return [label, { p99: gauge(text, `${name}_p99_seconds`) * 1000, max: gauge(text, `${name}_max_seconds`) * 1000 }];
    }),
  );
}

/**
 * What of the RSS is V8's heap in use and what is memory outside it that JavaScript objects hold (buffers,
 * sockets' native parts), in MB: RSS that stays high with both back at idle is pages the allocators kept.
 */
function heapOf(texts) {
  const megabytes = (text, label, name) => gauge(text, `${METRIC_PREFIXES[label]}${name}`) / 1024 / 1024;
  return Object.fromEntries(
    Object.entries(texts).map(([label, text]) => [label, { heapUsed: megabytes(text, label, 'nodejs_heap_size_used_bytes'), external: megabytes(text, label, 'nodejs_external_memory_bytes') }]),
  );
}

/** One more stream while every soak stream is open: the gateway's cap must answer it 503 at once. */
async function streamAboveCap(url, model) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Say hello.' }], stream: true }),
    signal: AbortSignal.timeout(30_000),
  });
  await response.body?.cancel();
  return response.status;
}

const RELEASE_LINE = '"message":"memory released when idle"';

/** Idle releases each service has logged, in what is kept of its output (the newest lines). */
function idleReleases(managed) {
  return Object.fromEntries(Object.entries(managed).map(([label, process]) => [label, process.output().split(RELEASE_LINE).length - 1]));
}

/**
 * Waits until every service has closed its streams' descriptors and logged an idle release after that (see
 * AFTER_GC_MS), at least AFTER_MIN_MS and at most AFTER_MAX_MS after `since`; returns how long the wait was
 * and the services whose release was not seen.
 */
async function settleAfterStreams(pids, managed, idle, since) {
  const labels = Object.keys(pids);
  const closedAt = {};
  const released = new Set();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, AFTER_POLL_MS));
    const releases = idleReleases(managed);
    for (const label of labels) {
      if (released.has(label)) continue;
      if (closedAt[label] !== undefined && releases[label] > closedAt[label]) released.add(label);
      else if (closedAt[label] === undefined && openDescriptors(pids[label]) <= idle[label].descriptors + DESCRIPTOR_SLACK) closedAt[label] = releases[label];
    }
    const waited = Date.now() - since;
    if ((released.size === labels.length && waited >= AFTER_MIN_MS) || waited >= AFTER_MAX_MS) {
      if (released.size === labels.length) await new Promise((resolve) => setTimeout(resolve, AFTER_GC_MS));
      return { waitedMs: Date.now() - since, unreleased: labels.filter((label) => !released.has(label)) };
    }
  }
}

function reading(pids) {
  return Object.fromEntries(Object.entries(pids).map(([label, pid]) => [label, { rss: residentMegabytes(pid), descriptors: openDescriptors(pid) }]));
}

/** RSS and descriptors from /proc with the services' own heap figures. */
async function fullReading(pids, services) {
  const heap = heapOf(await scrape(services));
  return Object.fromEntries(Object.entries(reading(pids)).map(([label, now]) => [label, { ...now, ...heap[label] }]));
}

function startClient(openFiles) {
  return startProcess('soak client', CLIENT, [], { ipc: true, env: { PATH: process.env.PATH }, cores: placement?.load, openFiles });
}

/**
 * Runs the streams and resolves once the client's streams all ended, or at SOAK_TIMEOUT_MS with what the
 * client had reported so far (`timedOut`): its result, the services' peaks, and their event-loop lag.
 */
function driveStreams(client, job, pids, services, onProgress) {
  return new Promise((resolve, reject) => {
    const peaks = Object.fromEntries(Object.keys(pids).map((label) => [label, { rss: 0, descriptors: 0 }]));
    const sample = () => {
      for (const [label, now] of Object.entries(reading(pids))) {
        peaks[label].rss = Math.max(peaks[label].rss, now.rss);
        peaks[label].descriptors = Math.max(peaks[label].descriptors, now.descriptors);
      }
    };
    const sampler = setInterval(sample, 250);
    let latest = { started: 0, completed: 0, errors: 0 };
    const reporter = setInterval(() => onProgress(`${latest.started} streams started, ${latest.completed} completed, ${latest.errors} failed`), 5_000);
    let openScrape;
    let aboveCap;
    const finish = (error, value) => {
      clearInterval(sampler);
      clearInterval(reporter);
      clearTimeout(timeout);
      client.child.off('exit', onExit);
      if (error) reject(error);
      else resolve(value);
    };
    const settle = (result, timedOut) => {
      sample();
      // The lag over the time every stream was open: scraped once when the last stream started (reset), read now.
      Promise.resolve(openScrape)
        .then(async (open) => {
          const lag = eventLoopLag(await scrape(services));
          finish(undefined, { result, peaks, lag, openHeap: open === undefined ? undefined : heapOf(open), timedOut, aboveCapStatus: await aboveCap });
        })
        .catch(finish);
    };
    const timeout = setTimeout(() => {
      const partial = { streams: job.streams, ...latest, firstTokenP50: NaN, firstTokenP99: NaN, longestGap: NaN };
      settle(partial, true);
    }, SOAK_TIMEOUT_MS);
    const onExit = (code, signal) => finish(new Error(`the soak client exited (${signal ?? code})\n${client.output()}`));
    client.child.once('exit', onExit);
    client.child.on('message', (message) => {
      if (message.type === 'progress') {
        latest = message;
      } else if (message.type === 'all-started') {
        openScrape = scrape(services);
        aboveCap = streamAboveCap(job.url, job.model).catch((error) => error.message);
      } else if (message.type === 'done') {
        settle(message.result, false);
      } else if (message.type === 'failed') {
        finish(new Error(`soak client: ${message.message}`));
      }
    });
    client.child.send({ type: 'run', ...job });
  });
}

/** The cap check means something only when every stream was open at the time. */
function aboveCap(status, result) {
  if (status === undefined) return 'not sent (not every stream started) ✘';
  if (status === 503) return 'HTTP 503 ✔';
  const note = result.errors > 0 ? `; ${result.errors} streams had failed, so fewer than the cap were open` : '';
  return `HTTP ${status} ✘ (expected 503${note})`;
}

/** V8's heap in use and the memory outside it, idle / while every stream was open / after, per service. */
function heapTable(idle, openHeap, after) {
  // A figure a scrape did not give (a service too busy to answer in full while every stream was open) reads '-'.
  const megabytes = (value) => (Number.isFinite(value) ? value.toFixed(1) : '-');
  const figures = (pick) => `${megabytes(pick(idle))} / ${openHeap === undefined ? '-' : megabytes(pick(openHeap))} / ${megabytes(pick(after))}`;
  const rows = Object.keys(idle).map((label) => [label, figures((at) => at[label].heapUsed), figures((at) => at[label].external)]);
  return formatTable(['service', 'V8 heap used MB, idle / open / after', 'external MB, idle / open / after'], rows);
}

function soakReport({ streams, idle, peaks, openHeap, after, lag, result, timedOut, aboveCapStatus }) {
  const rows = Object.keys(idle).map((label) => {
    const perStream = ((peaks[label].rss - idle[label].rss) * 1024) / streams;
    const returned = after[label].rss / idle[label].rss - 1;
    return [
      label,
      idle[label].rss.toFixed(1),
      peaks[label].rss.toFixed(1),
      `${perStream.toFixed(1)} ${perStream <= KB_PER_STREAM ? '✔' : '✘'}`,
      `${after[label].rss.toFixed(1)} (${returned >= 0 ? '+' : ''}${(returned * 100).toFixed(0)}%) ${returned <= RSS_RETURN ? '✔' : '✘'}`,
      `${idle[label].descriptors} / ${peaks[label].descriptors} / ${after[label].descriptors}`,
      `${ms(lag[label].p99)} / ${ms(lag[label].max)}`,
    ];
  });
  const header = ['service', 'idle MB', 'peak MB', `KB per stream (≤ ${KB_PER_STREAM})`, 'after MB (≤ +10 %)', 'fds idle / peak / after', 'loop lag p99 / max ms'];
  const common = (result.commonErrors ?? []).map(([message, count]) => `\n  ${count} × ${message}`).join('');
  const errors = result.errors === 0 ? '0 errors ✔' : `${result.errors} errors ✘, the most frequent:${common}`;
  const ended = timedOut ? `TIMED OUT ✘ after ${SOAK_TIMEOUT_MS / 1000} s: ${result.started} streams started, ` : '';
  return [
    `streams: ${ended}${result.completed} of ${result.streams} completed, ${errors}`,
    `one stream more while all were open (GATEWAY_MAX_OPEN_REQUESTS=${streams}): ${aboveCap(aboveCapStatus, result)}`,
    `time to first token p50 ${ms(result.firstTokenP50)} ms, p99 ${ms(result.firstTokenP99)} ms (the upstream sends it after ${SOAK_PACING.firstMs} ms); longest gap between tokens ${ms(result.longestGap)} ms (paced ${SOAK_PACING.gapMs} ms)`,
    formatTable(header, rows),
    heapTable(idle, openHeap, after),
  ].join('\n');
}

export async function runSoak({ options, workDirectory, onProgress }) {
  const loadAverageAtStart = loadavg()[0];
  const streams = options.soakStreams;
  const openFiles = descriptorLimit();
  const model = pacedModel(SOAK_PACING);
  onProgress('starting the fake upstream');
  const upstream = await startFakeUpstream({ cores: placement?.load, openFiles });
  onProgress('starting llm-proxy and the gateway');
  const nachos = await startNachos({ upstreamUrl: `${upstream.url}/v1`, workDirectory, cores: placement?.system, openFiles, extraModels: [model], settings: { GATEWAY_MAX_OPEN_REQUESTS: String(streams) } });
  const [gateway, llmProxy] = nachos.managed;
  const pids = { gateway: gateway.child.pid, 'llm-proxy': llmProxy.child.pid };
  const services = { metricsUrls: { gateway: `${nachos.url}/metrics`, 'llm-proxy': nachos.llmProxyMetricsUrl } };
  // One stream first, so that both services have every lazy module loaded and a connection to the upstream.
  const warm = await fetch(`${nachos.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' },
    body: JSON.stringify({ model: pacedModel({ firstMs: 0, gapMs: 0, tokens: 3 }), messages: [{ role: 'user', content: 'Say hello.' }], stream: true }),
  });
  await warm.arrayBuffer();
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const idle = await fullReading(pids, services);
  const client = startClient(openFiles);
  onProgress(`opening ${streams} streams (${RAMP_PER_SECOND}/s), each ${SOAK_PACING.tokens} tokens ${SOAK_PACING.gapMs} ms apart`);
  const job = { url: `${nachos.url}/v1/chat/completions`, model, streams, rampPerSecond: RAMP_PER_SECOND };
  const { result, peaks, lag, openHeap, timedOut, aboveCapStatus } = await driveStreams(client, job, pids, services, onProgress);
  // A timed-out client still holds its streams; closing them is part of what "after" measures.
  await stopProcess(client);
  onProgress('streams ended; waiting for each service to close their connections and collect its garbage');
  const settled = await settleAfterStreams(pids, { gateway, 'llm-proxy': llmProxy }, idle, Date.now());
  const after = await fullReading(pids, services);
  const environment = describeMachine(undefined, loadAverageAtStart);
  console.log(
    [
      `nachos slow-stream load test, ${environment.date}`,
      `command: ${environment.command}`,
      `machine: ${environment.cpus} x ${environment.cpuModel}, Linux ${environment.kernel}, node ${environment.node}, commit ${environment.commit}`,
      `placement: ${environment.placement}; load average ${loadAverageAtStart.toFixed(2)} at start; descriptor limit ${openFiles} per process`,
      `method: ${streams} concurrent streams through one gateway and one llm-proxy, opened ${RAMP_PER_SECOND}/s, each its own connection;`,
      '  idle = after one warm-up stream and a pause; peak = highest RSS and descriptors sampled every 250 ms; after = once the streams',
      `  closed, each service had closed its streams' descriptors and then logged its idle release, and ${AFTER_GC_MS / 1000} s more (at least ${AFTER_MIN_MS / 1000} s, at most ${AFTER_MAX_MS / 1000} s);`,
      `  here ${(settled.waitedMs / 1000).toFixed(0)} s${settled.unreleased.length === 0 ? '' : `, no idle release logged after the streams by ${settled.unreleased.join(', ')} ✘`}; loop lag = the services' event-loop delay while every stream was open;`,
      "  V8 heap used and external memory from the services' own /metrics (open = when the last stream had started).",
      '',
      soakReport({ streams, idle, peaks, openHeap, after, lag, result, timedOut, aboveCapStatus }),
    ].join('\n'),
  );
  if (result.errors > 0 || timedOut) process.exitCode = 1;
}
