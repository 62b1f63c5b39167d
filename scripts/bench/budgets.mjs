/**
 * The budgets of the performance issue, each checked against this run's figures: nachos against nginx
 * (the paired differences and ratios) and against the bare gRPC floor, all measured in the same rounds.
 * A budget whose scenario or baseline was not measured is listed as such, never as met.
 */
import { ms, signedMs } from './format-table.mjs';
import { splitByParty } from './target-parties.mjs';

const IDLE_RSS_MB = 80;
const KB_PER_STREAM = 50;

function check(label, figure, threshold, passes) {
  const measured = Number.isFinite(figure.value);
  return { label, measured: measured ? figure.text : 'not measured', threshold, verdict: measured ? (passes(figure.value) ? '✔' : '✘') : '-' };
}

/** One line per budget: {label, measured, threshold, verdict}. */
export function evaluateBudgets(summary, idleRss) {
  const entry = (key) => summary[key];
  const nachos = (key) => entry(key)?.targets.nachos;
  const versusNginx = (key, kind, field) => (entry(key)?.baseline === 'nginx' ? entry(key)[kind].nachos?.[field] : undefined);
  const added = (key, field) => versusNginx(key, 'added', field)?.median ?? NaN;
  const addedFigure = (key, field) => ({ value: added(key, field), text: `${signedMs(added(key, field))} ms` });
  const cpu = (key, target, field = 'cpuMsPerRequest') => {
    const figures = entry(key)?.targets[target]?.[field];
    return figures ? splitByParty(target, figures).both : NaN;
  };
  const cpu32 = cpu('c32', 'nachos');
  const floor32 = cpu('c32', 'grpc-floor');
  const rate64 = versusNginx('c64', 'ratio', 'perSecond') ?? NaN;
  const perToken = cpu('s64', 'nachos', 'cpuMsPerToken');
  const perStream = nachos('p1000')?.kilobytesPerOpenRequest;
  const worstPerStream = perStream ? Math.max(perStream.gateway, perStream['llm-proxy']) : NaN;
  const idle = idleRss.gateway === undefined ? NaN : Math.max(idleRss.gateway, idleRss['llm-proxy']);
  return [
    check('CPU per request, both services, c=32', { value: cpu32, text: `${ms(cpu32)} ms` }, '≤ 0.4 ms', (value) => value <= 0.4),
    check('  … against the bare gRPC floor, c=32', { value: cpu32 / floor32, text: `${(cpu32 / floor32).toFixed(2)}× (floor ${ms(floor32)} ms)` }, '≤ 1.6×', (value) => value <= 1.6),
    check('added p50 over nginx, c=1', addedFigure('c1', 'p50'), '≤ 0.8 ms', (value) => value <= 0.8),
    check('added p99 over nginx, c=1', addedFigure('c1', 'p99'), '≤ 3 ms', (value) => value <= 3),
    check('requests/s at c=64 against nginx', { value: rate64, text: `${rate64.toFixed(3)}×` }, '≥ 0.2×', (value) => value >= 0.2),
    check('p64 streams: added time to first token p50', addedFigure('p64', 'firstTokenP50'), '≤ 1 ms', (value) => value <= 1),
    check('p64 streams: added time to first token p99', addedFigure('p64', 'firstTokenP99'), '≤ 5 ms', (value) => value <= 5),
    check('p64 streams: inter-token p99 against nginx', addedFigure('p64', 'gapP99'), 'within 1 ms', (value) => Math.abs(value) <= 1),
    check('p1000 streams: added time to first token p50', addedFigure('p1000', 'firstTokenP50'), '≤ 5 ms', (value) => value <= 5),
    check('CPU per relayed token at saturation (s64), both', { value: perToken, text: `${perToken.toFixed(4)} ms` }, '≤ 0.03 ms', (value) => value <= 0.03),
    check(
      'memory per open stream (p1000), each service',
      { value: worstPerStream, text: perStream ? `gateway ${perStream.gateway.toFixed(0)} KB, llm-proxy ${perStream['llm-proxy'].toFixed(0)} KB` : '' },
      `≤ ${KB_PER_STREAM} KB`,
      (value) => value <= KB_PER_STREAM,
    ),
    check(
      'idle RSS, each service',
      { value: idle, text: Number.isFinite(idle) ? `gateway ${idleRss.gateway.toFixed(1)} MB, llm-proxy ${idleRss['llm-proxy'].toFixed(1)} MB` : '' },
      `≤ ${IDLE_RSS_MB} MB`,
      (value) => value <= IDLE_RSS_MB,
    ),
  ];
}
