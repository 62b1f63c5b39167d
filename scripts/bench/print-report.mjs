/**
 * The report: latency and throughput per concurrency, streams, CPU per request and memory per process, then
 * the project's budgets printed beside the measured figures. There is no pass/fail: these are numbers for
 * the README and for whoever works on the hot path, and a shared 2-core machine is too noisy to gate on.
 */
import { formatTable, ms, paired, ratio, signedMs } from './format-table.mjs';

const BUDGETS = {
  addedP50VersusNginx: 0.5,
  cpuPerRequest: 0.3,
  addedFirstTokenVersusNginx: 1,
  idleRssPerService: 80,
};

const FOR_SCALE =
  'For scale, on these 2-core machines: nginx adds ~0.1 ms and spends ~0.05 ms CPU per request; the best-known\n' +
  'TypeScript gateway adds ~1.1 ms, spends ~1.2 ms CPU per request and adds ~28 ms to time to first token.';

function nonStreamingTable(entries, targets, rounds) {
  const rows = entries.flatMap(({ scenario, targets: figures, versusDirect }) =>
    targets.map((name) => {
      const own = figures[name];
      const direct = figures.direct;
      const isDirect = name === 'direct';
      return [
        String(scenario.concurrency),
        name,
        own.perSecond.toFixed(0),
        ms(own.p50),
        ms(own.p99),
        isDirect ? '' : paired(versusDirect[name].p50, rounds),
        isDirect ? '' : ratio(own.p50 / direct.p50),
        isDirect ? '' : ratio(own.perSecond / direct.perSecond),
        String(own.errors),
      ];
    }),
  );
  return formatTable(['conc', 'target', 'req/s', 'p50 ms', 'p99 ms', 'added p50 ms (paired)', 'p50 ratio', 'req/s ratio', 'errors'], rows, 2);
}

function streamingTable(entries, targets, rounds) {
  const rows = entries.flatMap(({ scenario, targets: figures, versusDirect }) =>
    targets.map((name) => {
      const own = figures[name];
      const isDirect = name === 'direct';
      return [
        String(scenario.concurrency),
        name,
        own.perSecond.toFixed(1),
        ms(own.firstTokenP50),
        ms(own.firstTokenP99),
        isDirect ? '' : paired(versusDirect[name].firstTokenP50, rounds),
        ms(own.gapMean),
        ms(own.gapP99),
        ms(own.totalP50),
        isDirect ? '' : paired(versusDirect[name].totalP50, rounds),
        own.chunksMean.toFixed(1),
        String(own.errors),
      ];
    }),
  );
  const header = ['conc', 'target', 'streams/s', 'TTFT p50', 'TTFT p99', 'added TTFT p50 (paired)', 'gap mean', 'gap p99', 'total p50', 'added total p50', 'chunks', 'errors'];
  return formatTable(header, rows, 2);
}

/** The parties on each target's path; the load generator is shown for every target as a sanity check. */
const PATH_PARTIES = { direct: ['upstream'], nginx: ['upstream', 'nginx'], nachos: ['upstream', 'gateway', 'llm-proxy'] };

function cpuTable(entries, targets) {
  const rows = entries.flatMap(({ scenario, targets: figures }) =>
    targets.map((name) => {
      const cpu = figures[name].cpuMsPerRequest;
      const onPath = (label) => (PATH_PARTIES[name].includes(label) ? cpu[label].toFixed(3) : '-');
      const proxy = name === 'nginx' ? cpu.nginx : name === 'nachos' ? cpu.gateway + cpu['llm-proxy'] : NaN;
      return [
        `${scenario.stream ? 'stream' : 'request'} c=${scenario.concurrency}`,
        name,
        onPath('upstream'),
        onPath('nginx'),
        onPath('gateway'),
        onPath('llm-proxy'),
        Number.isFinite(proxy) ? proxy.toFixed(3) : '-',
        cpu['load generator'].toFixed(3),
      ];
    }),
  );
  return formatTable(['per', 'target', 'upstream', 'nginx', 'gateway', 'llm-proxy', 'proxy total', 'load gen'], rows, 2);
}

function memoryTable(idleRss, peakRss) {
  const rows = Object.keys(idleRss).map((label) => [label, idleRss[label].toFixed(1), (peakRss[label] ?? NaN).toFixed(1)]);
  return formatTable(['process', 'idle MB', 'peak MB'], rows);
}

function budgetLines(summary, entries, idleRss, peakRss, hasNginx) {
  const lowest = (stream) => entries.filter((entry) => entry.scenario.stream === stream).sort((a, b) => a.scenario.concurrency - b.scenario.concurrency)[0];
  const request = lowest(false);
  const stream = lowest(true);
  const lines = [];
  const versus = (entry, field) => (hasNginx ? entry.nachosVersusNginx[field].median : entry.versusDirect.nachos?.[field].median);
  const baseline = hasNginx ? 'nginx' : 'direct (nginx skipped)';
  if (request && summary[request.scenario.key].targets.nachos) {
    lines.push([`nachos p50 minus ${baseline}, c=${request.scenario.concurrency}`, `${signedMs(versus(request, 'p50'))} ms`, `<= +${BUDGETS.addedP50VersusNginx} ms vs nginx`]);
    const cpu = entries
      .filter((entry) => !entry.scenario.stream)
      .map((entry) => {
        const figures = entry.targets.nachos.cpuMsPerRequest;
        return `${(figures.gateway + figures['llm-proxy']).toFixed(3)} (c=${entry.scenario.concurrency})`;
      });
    lines.push(['gateway + llm-proxy CPU per request', `${cpu.join(', ')} ms`, `<= ${BUDGETS.cpuPerRequest} ms`]);
  }
  if (stream && summary[stream.scenario.key].targets.nachos) {
    lines.push([`nachos TTFT p50 minus ${baseline}, c=${stream.scenario.concurrency}`, `${signedMs(versus(stream, 'firstTokenP50'))} ms`, `<= +${BUDGETS.addedFirstTokenVersusNginx} ms vs nginx`]);
  }
  if (idleRss.gateway !== undefined) {
    const rss = ['gateway', 'llm-proxy'].map((label) => `${label} ${idleRss[label].toFixed(1)} (peak ${peakRss[label].toFixed(1)})`);
    lines.push(['idle RSS per service', `${rss.join(', ')} MB`, `<= ${BUDGETS.idleRssPerService} MB each`]);
  }
  return formatTable(['figure', 'measured', 'budget'], lines, 3);
}

/** The whole report as one string. */
export function formatReport({ options, environment, summary, idleRss, peakRss, targets, notes }) {
  const entries = Object.values(summary);
  const requestEntries = entries.filter((entry) => !entry.scenario.stream);
  const streamEntries = entries.filter((entry) => entry.scenario.stream);
  const sections = [
    `nachos benchmark, ${environment.date}`,
    `command: ${environment.command}`,
    `machine: ${environment.cpus} x ${environment.cpuModel}, Linux ${environment.kernel}, node ${environment.node}, ${environment.nginx}, commit ${environment.commit}`,
    `noise: load average ${environment.loadAverageAtStart.toFixed(2)} at start; other processes used ${(environment.otherLoad * 100).toFixed(0)}% of the machine's CPU during the measured windows`,
    `method: ${options.rounds} round(s) of ${options.durationMs / 1000} s windows per target and scenario after ${options.warmupMs / 1000} s of warm-up each;`,
    '  targets interleaved within a round, their order rotating from round to round; closed-loop keep-alive clients on 127.0.0.1;',
    '  one fake upstream; non-streaming load: it answers at once (nachos asks it for a stream even then, which it writes in one go);',
    `  streaming load: ${options.chunks} chunks ${options.chunkGapMs} ms apart; CPU = utime+stime from /proc;`,
    `  "paired" = the median over rounds of (target - direct) within the same round${options.rounds > 1 ? ' (range in brackets)' : ''}.`,
  ];
  sections.push(...notes);
  if (requestEntries.length > 0) sections.push(`\nNon-streaming POST /v1/chat/completions (latency in ms)\n${nonStreamingTable(requestEntries, targets, options.rounds)}`);
  if (streamEntries.length > 0) sections.push(`\nStreaming (ms; TTFT = time to first text chunk; gap = between text chunks)\n${streamingTable(streamEntries, targets, options.rounds)}`);
  sections.push(
    `\nCPU time per request or stream (ms), by process\n${cpuTable(entries, targets)}\n` +
      'A process that sleeps between requests pays for waking up again, so at a low request rate each request costs more\n' +
      'CPU (the load generator shows it: its work per request is the same for every target).',
  );
  sections.push(`\nResident memory (VmRSS): idle = after start-up before any load, peak = highest sampled during the windows\n${memoryTable(idleRss, peakRss)}`);
  sections.push(`\nBudgets (printed beside the figures; not a pass/fail)\n${budgetLines(summary, entries, idleRss, peakRss, targets.includes('nginx'))}`);
  sections.push(FOR_SCALE);
  const errors = entries.flatMap((entry) => targets.filter((name) => entry.targets[name].errors > 0).map((name) => `${entry.scenario.key} ${name}: ${entry.targets[name].errors} failed, first: ${entry.targets[name].firstError}`));
  if (errors.length > 0) sections.push(`\nFAILED REQUESTS (the figures above exclude them):\n${errors.join('\n')}`);
  return sections.join('\n');
}
