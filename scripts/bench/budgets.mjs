/**
 * The budgets of the performance issue, each checked against this run's figures: nachos against nginx
 * (the paired differences and ratios) and against the bare gRPC floor, all measured in the same rounds,
 * with the floors' own figures beside it to show what the stack allows. A budget whose scenario or
 * baseline was not measured is listed as such, never as met.
 */
import { ms, signedMs } from './format-table.mjs';
import { splitByParty } from './target-parties.mjs';

const IDLE_RSS_MB = 80;
const KB_PER_STREAM = 50;

/** The targets a budget line shows, nachos (the one judged) last. */
export const BUDGET_TARGETS = ['node-proxy', 'grpc-floor', 'nachos'];

function figures(summary, idleRss) {
  const versusNginx = (key, kind, field) => (target) => (summary[key]?.baseline === 'nginx' ? summary[key][kind][target]?.[field] : undefined);
  const added = (key, field) => (target) => {
    const value = versusNginx(key, 'added', field)(target)?.median ?? NaN;
    return { value, text: `${signedMs(value)} ms` };
  };
  const both = (key, field) => (target) => {
    const measured = summary[key]?.targets[target]?.[field];
    return measured ? splitByParty(target, measured).both : NaN;
  };
  const worstOfParties = (measured, target, unit, digits) => {
    if (!measured) return { value: NaN, text: '' };
    const { front, back } = splitByParty(target, measured);
    const value = Number.isFinite(back) ? Math.max(front, back) : front;
    return { value, text: Number.isFinite(back) ? `${front.toFixed(digits)} / ${back.toFixed(digits)} ${unit}` : `${front.toFixed(digits)} ${unit}` };
  };
  return [
    {
      label: 'CPU per request, both processes, c=32',
      scenario: 'c32',
      threshold: '≤ 0.4 ms',
      passes: (value) => value <= 0.4,
      figure: (target) => ({ value: both('c32', 'cpuMsPerRequest')(target), text: `${ms(both('c32', 'cpuMsPerRequest')(target))} ms` }),
    },
    {
      label: '  … against the bare gRPC floor, c=32',
      scenario: 'c32',
      threshold: '≤ 1.6×',
      passes: (value) => value <= 1.6,
      figure: (target) => {
        const value = target === 'nachos' ? both('c32', 'cpuMsPerRequest')('nachos') / both('c32', 'cpuMsPerRequest')('grpc-floor') : NaN;
        return { value, text: Number.isFinite(value) ? `${value.toFixed(2)}×` : '' };
      },
    },
    { label: 'added p50 over nginx, c=1', scenario: 'c1', threshold: '≤ 0.8 ms', passes: (value) => value <= 0.8, figure: added('c1', 'p50') },
    { label: 'added p99 over nginx, c=1', scenario: 'c1', threshold: '≤ 3 ms', passes: (value) => value <= 3, figure: added('c1', 'p99') },
    {
      label: 'requests/s at c=64, × nginx',
      scenario: 'c64',
      threshold: '≥ 0.2×',
      passes: (value) => value >= 0.2,
      figure: (target) => {
        const value = versusNginx('c64', 'ratio', 'perSecond')(target) ?? NaN;
        return { value, text: `${value.toFixed(3)}×` };
      },
    },
    { label: 'p64 streams: added time to first token p50', scenario: 'p64', threshold: '≤ 1 ms', passes: (value) => value <= 1, figure: added('p64', 'firstTokenP50') },
    { label: 'p64 streams: added time to first token p99', scenario: 'p64', threshold: '≤ 5 ms', passes: (value) => value <= 5, figure: added('p64', 'firstTokenP99') },
    { label: 'p64 streams: inter-token p99 minus nginx', scenario: 'p64', threshold: 'within 1 ms', passes: (value) => Math.abs(value) <= 1, figure: added('p64', 'gapP99') },
    { label: 'p1000 streams: added time to first token p50', scenario: 'p1000', threshold: '≤ 5 ms', passes: (value) => value <= 5, figure: added('p1000', 'firstTokenP50') },
    {
      label: 'CPU per relayed token at saturation (s64), both',
      scenario: 's64',
      threshold: '≤ 0.03 ms',
      passes: (value) => value <= 0.03,
      figure: (target) => ({ value: both('s64', 'cpuMsPerToken')(target), text: `${both('s64', 'cpuMsPerToken')(target).toFixed(4)} ms` }),
    },
    {
      label: 'memory per open stream (p1000), each process',
      scenario: 'p1000',
      threshold: `≤ ${KB_PER_STREAM} KB`,
      passes: (value) => value <= KB_PER_STREAM,
      figure: (target) => worstOfParties(summary.p1000?.targets[target]?.kilobytesPerOpenRequest, target, 'KB', 0),
    },
    {
      label: 'idle RSS, each process',
      threshold: `≤ ${IDLE_RSS_MB} MB`,
      passes: (value) => value <= IDLE_RSS_MB,
      figure: (target) => (summary[Object.keys(summary)[0]]?.targets[target] ? worstOfParties(idleRss, target, 'MB', 1) : { value: NaN, text: '' }),
    },
  ];
}

/**
 * One line per budget: {label, threshold, verdict (nachos's ✔/✘, or "not measured"), shown: {target: text}}
 * for the targets of BUDGET_TARGETS; "front / back" where a target has two processes. A target that failed
 * requests in the budget's scenario shows how many, and nachos then misses the budget whatever the figure.
 */
export function evaluateBudgets(summary, idleRss) {
  const failed = (scenario, target) => (scenario ? (summary[scenario]?.targets[target]?.errors ?? 0) : 0);
  return figures(summary, idleRss).map(({ label, scenario, threshold, passes, figure }) => {
    const shown = Object.fromEntries(
      BUDGET_TARGETS.map((target) => {
        const { value, text } = figure(target);
        const errors = failed(scenario, target);
        return [target, `${Number.isFinite(value) ? text : '-'}${errors > 0 ? ` (${errors} failed)` : ''}`];
      }),
    );
    const judged = figure('nachos').value;
    const verdict = failed(scenario, 'nachos') > 0 ? '✘' : Number.isFinite(judged) ? (passes(judged) ? '✔' : '✘') : 'not measured';
    return { label, threshold, verdict, shown };
  });
}
