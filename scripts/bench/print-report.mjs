/**
 * The report: latency and throughput per concurrency, paced streams, CPU per request (and per relayed
 * token) by service, memory, the machine-independent counts per request, then every budget with its figure
 * and ✔/✘. Differences and ratios are against nginx (direct when nginx is missing), paired round by round;
 * the floors sit beside nachos in every table so each run shows how far nachos is from its stack's floor.
 */
import { BUDGET_TARGETS, evaluateBudgets } from './budgets.mjs';
import { cpuMs, formatTable, ms, paired, ratio } from './format-table.mjs';
import { splitByParty } from './target-parties.mjs';

const NOISE_NOTE =
  'A figure is only as quiet as the machine: check the noise line above. The budgets hold on a quiet machine;\n' +
  'the counts above do not depend on the machine at all.';

function nonStreamingTable(entries, targets, rounds) {
  const rows = entries.flatMap(({ scenario, targets: figures, baseline, added, ratio: ratios }) =>
    targets.map((name) => {
      const own = figures[name];
      const compared = name !== baseline && name !== 'direct';
      return [
        String(scenario.concurrency),
        name,
        own.perSecond.toFixed(0),
        ms(own.p50),
        ms(own.p99),
        compared ? paired(added[name].p50, rounds) : '',
        compared ? paired(added[name].p99, rounds) : '',
        compared ? ratio(ratios[name].perSecond) : '',
        String(own.errors),
      ];
    }),
  );
  const baseline = entries[0].baseline;
  const header = ['conc', 'target', 'req/s', 'p50', 'p99', `added p50 vs ${baseline}`, `added p99 vs ${baseline}`, `req/s x ${baseline}`, 'errors'];
  return formatTable(header, rows, 2);
}

function streamingTable(entries, targets, rounds) {
  const rows = entries.flatMap(({ scenario, targets: figures, baseline, added }) =>
    targets.map((name) => {
      const own = figures[name];
      const compared = name !== baseline && name !== 'direct';
      return [
        scenario.key,
        name,
        ms(own.firstTokenP50),
        ms(own.firstTokenP99),
        compared ? paired(added[name].firstTokenP50, rounds) : '',
        compared ? paired(added[name].firstTokenP99, rounds) : '',
        ms(own.gapP99),
        compared ? paired(added[name].gapP99, rounds) : '',
        own.chunksMean.toFixed(1),
        own.perSecond.toFixed(1),
        String(own.errors),
      ];
    }),
  );
  const baseline = entries[0].baseline;
  const header = ['streams', 'target', 'TTFT p50', 'TTFT p99', `added p50 vs ${baseline}`, `added p99 vs ${baseline}`, 'gap p99', `added gap p99`, 'tokens', 'streams/s', 'errors'];
  return formatTable(header, rows, 2);
}

function cpuTable(entries, targets) {
  const rows = entries.flatMap(({ scenario, targets: figures }) =>
    targets.map((name) => {
      const own = figures[name];
      const request = splitByParty(name, own.cpuMsPerRequest);
      const token = scenario.stream ? splitByParty(name, own.cpuMsPerToken) : undefined;
      return [
        scenario.key,
        name,
        cpuMs(request.front),
        cpuMs(request.back),
        cpuMs(request.both),
        token && Number.isFinite(token.both) ? token.both.toFixed(4) : '',
        cpuMs(own.cpuMsPerRequest.upstream),
        cpuMs(own.cpuMsPerRequest['load generator']),
      ];
    }),
  );
  return formatTable(['scenario', 'target', 'front', 'back', 'both', 'both/token', 'upstream', 'load gen'], rows, 2);
}

/** Each target's first second of load beside the same concurrency once warm (c8 in the rounds, when measured). */
function startUpTable(startUp, warm, targets) {
  const rows = targets
    .filter((name) => name !== 'direct' && startUp[name])
    .map((name) => {
      const first = splitByParty(name, startUp[name].cpuMsPerRequest);
      const later = warm ? splitByParty(name, warm.targets[name].cpuMsPerRequest).both : NaN;
      return [name, String(startUp[name].requests), cpuMs(first.front), cpuMs(first.back), cpuMs(first.both), cpuMs(later), ratio(first.both / later)];
    });
  return formatTable(['target', 'requests', 'front', 'back', 'both', 'both, c8 warm', 'first / warm'], rows, 1);
}

function memoryTable(idleRss, idleWakeUps, streamEntries, targets) {
  const rows = targets
    .filter((name) => name !== 'direct')
    .map((name) => {
      const idle = splitByParty(name, idleRss);
      const perStream = streamEntries.map((entry) => {
        const kilobytes = splitByParty(name, entry.targets[name].kilobytesPerOpenRequest);
        return Number.isFinite(kilobytes.back) ? `${kilobytes.front.toFixed(0)} / ${kilobytes.back.toFixed(0)}` : kilobytes.front.toFixed(0);
      });
      const wakeUps = splitByParty(name, idleWakeUps);
      return [
        name,
        Number.isFinite(idle.back) ? `${idle.front.toFixed(1)} / ${idle.back.toFixed(1)}` : idle.front.toFixed(1),
        Number.isFinite(wakeUps.back) ? `${wakeUps.front.toFixed(1)} / ${wakeUps.back.toFixed(1)}` : wakeUps.front.toFixed(1),
        ...perStream,
      ];
    });
  return formatTable(['target', 'idle MB (front / back)', 'idle wake-ups/s', ...streamEntries.map((entry) => `KB per open stream, ${entry.scenario.key}`)], rows);
}

function countsTable(counts) {
  const rows = counts.map((row) => [row.label, ...row.values.map((value) => (Number.isFinite(value) ? value.toFixed(2) : '-'))]);
  return formatTable(['per answer (nachos)', 'non-streaming', 'stream'], rows);
}

function budgetTable(summary, idleRss) {
  const rows = evaluateBudgets(summary, idleRss).map((line) => [line.label, ...BUDGET_TARGETS.map((target) => line.shown[target]), line.threshold, line.verdict]);
  return formatTable(['budget', ...BUDGET_TARGETS, 'threshold', 'nachos met'], rows, 1);
}

/** The whole report as one string. */
export function formatReport({ options, environment, summary, startUp, idleRss, idleWakeUps, counts, targets, notes }) {
  const entries = Object.values(summary);
  const requestEntries = entries.filter((entry) => !entry.scenario.stream);
  const streamEntries = entries.filter((entry) => entry.scenario.stream);
  const sections = [
    `nachos benchmark, ${environment.date}`,
    `command: ${environment.command}`,
    `machine: ${environment.cpus} x ${environment.cpuModel}, Linux ${environment.kernel}, node ${environment.node}, ${environment.nginx}, commit ${environment.commit}`,
    `placement: ${environment.placement}`,
    `noise: load average ${environment.loadAverageAtStart.toFixed(2)} at start; other processes used ${(environment.otherLoad * 100).toFixed(0)}% of the machine's CPU during the measured windows`,
    `method: ${options.rounds} round(s), windows of ${options.durationMs / 1000} s (a stream window lasts at least one stream, two when they start together); before them each target serves`,
    `  ${options.warmupRequests} requests at c=8${options.streams.length > 0 ? ` and ${Math.ceil(options.warmupRequests / 10)} s64 streams` : ''} (warm-up: JIT and heap), its first second measured as start-up;`,
    '  targets interleaved within a round, their order rotating every two rounds, the second of the two backwards; closed-loop keep-alive clients on 127.0.0.1;',
    '  floors: node-proxy = one Node process, node:http in, undici Pool out; grpc-floor = two Node processes, HTTP in -> protobuf ->',
    '  one long-lived grpc-js bidi stream -> undici Pool; nachos at its default log level, idle upstream connections kept 120 s as in the floors;',
    '  CPU = utime+stime from /proc;',
    `  "added" = the median over rounds of (target - baseline) within the same round${options.rounds > 1 ? ' (range in brackets)' : ''}; "x" = the median ratio.`,
  ];
  sections.push(...notes);
  if (requestEntries.length > 0) sections.push(`\nNon-streaming POST /v1/chat/completions (ms)\n${nonStreamingTable(requestEntries, targets, options.rounds)}`);
  if (streamEntries.length > 0) {
    const started = (spreadMs) => (spreadMs > 0 ? `, starts spread over ${spreadMs} ms` : ', all started together');
    const described = streamEntries.map(({ scenario: { key, concurrency, pacing, spreadMs } }) => `${key}: ${concurrency} streams, first token after ${pacing.firstMs} ms, then every ${pacing.gapMs} ms, ${pacing.tokens} tokens${started(spreadMs)}`);
    sections.push(`\nStreams (ms; TTFT = time to first token; gap = between tokens)\n${described.join('\n')}\n${streamingTable(streamEntries, targets, options.rounds)}`);
  }
  sections.push(`\nCPU time per request or stream (ms): front = gateway / nginx / floor front, back = llm-proxy / floor back\n${cpuTable(entries, targets)}`);
  sections.push(
    `\nStart-up: CPU per request (ms) over each target's first second of load (the warm-up's, c=8): what a fresh process\n  pays while V8 compiles its hot code and its heap grows\n${startUpTable(startUp, summary.c8, targets)}`,
  );
  sections.push(
    `\nMemory and idle: idle RSS after start-up; idle wake-ups/s = the main thread's wake-ups in a quiet window after the load;\n  KB per open stream = (peak RSS during the window - RSS before it) / streams\n${memoryTable(idleRss, idleWakeUps, streamEntries, targets)}`,
  );
  if (counts.length > 0) sections.push(`\nCounts per answer (machine-independent; read from the services' metrics, the fake upstream and the services' output)\n${countsTable(counts)}`);
  sections.push(`\nBudgets (issue #12): nachos judged, the floors beside it\n${budgetTable(summary, idleRss)}`);
  sections.push(NOISE_NOTE);
  const errors = entries.flatMap((entry) => targets.filter((name) => entry.targets[name].errors > 0).map((name) => `${entry.scenario.key} ${name}: ${entry.targets[name].errors} failed, first: ${entry.targets[name].firstError}`));
  if (errors.length > 0) sections.push(`\nFAILED REQUESTS (the figures above exclude them):\n${errors.join('\n')}`);
  return sections.join('\n');
}
