/**
 * Turns the measured windows into the figures the report prints. Latencies are pooled over all rounds for
 * the percentiles; differences between targets are *paired*: computed round by round between windows that
 * ran seconds apart, then summarised by their median (and range), so a slow minute on the shared machine
 * does not count as proxy overhead. CPU ticks are summed over all rounds before dividing by the requests,
 * because one window holds only a few hundred 10 ms ticks.
 */
import { mean, median, percentile, sorted } from './latency-statistics.mjs';
import { clockTicksPerSecond } from './process-usage.mjs';

/** The per-request figures of one window: what its paired difference is taken over. */
function windowFigures(window, stream) {
  const { result } = window;
  if (!stream) {
    const latencies = sorted(result.latencies);
    return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), perSecond: (result.requests / result.elapsedMs) * 1000 };
  }
  const firstTokens = sorted(result.firstTokens);
  return {
    firstTokenP50: percentile(firstTokens, 50),
    firstTokenP99: percentile(firstTokens, 99),
    gapP99: percentile(sorted(result.gaps), 99),
    totalP50: percentile(sorted(result.totals), 50),
  };
}

/** KB of resident memory per open request, per party: what the window's peak held above its start. */
function kilobytesPerOpenRequest(windows, concurrency) {
  const perParty = {};
  for (const label of Object.keys(windows[0].peakRss)) {
    perParty[label] = median(windows.map((window) => ((window.peakRss[label] - window.rssBefore[label]) * 1024) / concurrency));
  }
  return perParty;
}

function pooled(windows, field) {
  return sorted(windows.flatMap((window) => window.result[field]));
}

/** CPU ms per request from clock ticks (summed over windows, so that a few hundred ticks each add up). */
function msPerRequest(ticks, requests) {
  return ((ticks / clockTicksPerSecond) * 1000) / requests;
}

function targetFigures(windows, scenario) {
  const { stream } = scenario;
  const requests = windows.reduce((sum, window) => sum + window.result.requests, 0);
  const elapsedSeconds = windows.reduce((sum, window) => sum + window.result.elapsedMs, 0) / 1000;
  const cpuMsPerRequest = {};
  for (const label of Object.keys(windows[0].cpuTicks)) {
    const ticks = windows.reduce((sum, window) => sum + window.cpuTicks[label], 0);
    cpuMsPerRequest[label] = msPerRequest(ticks, requests);
  }
  const common = {
    requests,
    errors: windows.reduce((sum, window) => sum + window.result.errors, 0),
    firstError: windows.find((window) => window.result.firstError)?.result.firstError,
    perSecond: requests / elapsedSeconds,
    cpuMsPerRequest,
    kilobytesPerOpenRequest: kilobytesPerOpenRequest(windows, scenario.concurrency),
  };
  if (!stream) {
    const latencies = pooled(windows, 'latencies');
    return { ...common, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
  }
  const firstTokens = pooled(windows, 'firstTokens');
  const totals = pooled(windows, 'totals');
  const gaps = pooled(windows, 'gaps');
  const tokens = windows.reduce((sum, window) => sum + window.result.chunks.reduce((total, chunks) => total + chunks, 0), 0);
  const cpuMsPerToken = Object.fromEntries(Object.entries(cpuMsPerRequest).map(([label, perStream]) => [label, (perStream * requests) / tokens]));
  return {
    ...common,
    cpuMsPerToken,
    firstTokenP50: percentile(firstTokens, 50),
    firstTokenP99: percentile(firstTokens, 99),
    gapMean: mean(gaps),
    gapP99: percentile(gaps, 99),
    totalP50: percentile(totals, 50),
    chunksMean: mean(windows.flatMap((window) => window.result.chunks)),
  };
}

/** Round-by-round `target − baseline` of each figure: the median and the range over rounds. */
function pairedDifferences(windows, target, baseline, stream) {
  const byRound = (name) => new Map(windows.filter((window) => window.target === name).map((window) => [window.round, windowFigures(window, stream)]));
  const targetRounds = byRound(target);
  const baselineRounds = byRound(baseline);
  const differences = {};
  for (const [round, figures] of targetRounds) {
    for (const [name, value] of Object.entries(figures)) {
      (differences[name] ??= []).push(value - baselineRounds.get(round)[name]);
    }
  }
  return Object.fromEntries(
    Object.entries(differences).map(([name, values]) => [name, { median: median(values), min: Math.min(...values), max: Math.max(...values) }]),
  );
}

/** Round-by-round `target / baseline` of each figure, summarised like the differences. */
function pairedRatios(windows, target, baseline, stream) {
  const byRound = (name) => new Map(windows.filter((window) => window.target === name).map((window) => [window.round, windowFigures(window, stream)]));
  const baselineRounds = byRound(baseline);
  const ratios = {};
  for (const [round, figures] of byRound(target)) {
    for (const [name, value] of Object.entries(figures)) (ratios[name] ??= []).push(value / baselineRounds.get(round)[name]);
  }
  return Object.fromEntries(Object.entries(ratios).map(([name, values]) => [name, median(values)]));
}

/**
 * `windows` from runRounds, `scenarios` from scenariosOf, `targets` the names measured. Returns per scenario
 * key: {scenario, targets: {name: figures}, baseline, added: {name: paired differences}, ratio: {name: paired
 * ratios}}, the baseline being nginx when it was measured and direct otherwise.
 */
export function summarizeResults(windows, scenarios, targets) {
  const baseline = targets.includes('nginx') ? 'nginx' : 'direct';
  const summary = {};
  for (const scenario of scenarios) {
    const inScenario = windows.filter((window) => window.scenario === scenario.key);
    const perTarget = Object.fromEntries(targets.map((name) => [name, targetFigures(inScenario.filter((window) => window.target === name), scenario)]));
    const others = targets.filter((name) => name !== baseline);
    const added = Object.fromEntries(others.map((name) => [name, pairedDifferences(inScenario, name, baseline, scenario.stream)]));
    const ratio = Object.fromEntries(others.map((name) => [name, pairedRatios(inScenario, name, baseline, scenario.stream)]));
    summary[scenario.key] = { scenario, targets: perTarget, baseline, added, ratio };
  }
  return summary;
}

/**
 * Per target, the CPU per request of its first second of load (the warm-up's start, see run-rounds.mjs), by
 * party: {name: {requests, cpuMsPerRequest: {label: ms}}}.
 */
export function summarizeStartUp(startUp) {
  return Object.fromEntries(
    startUp.map(({ target, result, cpuTicks }) => [
      target,
      { requests: result.requests, cpuMsPerRequest: Object.fromEntries(Object.entries(cpuTicks).map(([label, ticks]) => [label, msPerRequest(ticks, result.requests)])) },
    ]),
  );
}

/**
 * The share of the machine's CPU (all cores) that processes other than the benchmark's used during the
 * measured windows: near 0 on a quiet machine; anything large means the figures carry other people's load.
 */
export function otherLoadShare(windows, cpuCount) {
  const otherTicks = windows.reduce((sum, window) => sum + window.otherTicks, 0);
  const capacityTicks = windows.reduce((sum, window) => sum + (window.result.elapsedMs / 1000) * clockTicksPerSecond * cpuCount, 0);
  return otherTicks / capacityTicks;
}
