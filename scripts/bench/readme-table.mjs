#!/usr/bin/env node
/**
 * `node scripts/bench/readme-table.mjs <results.json>`: the README's performance tables from a run's JSON
 * (the path the benchmark prints last): the figures of every target against nginx, the counts per answer
 * and the budgets with their verdicts, as Markdown.
 */
import { readFileSync } from 'node:fs';
import { BUDGET_TARGETS, evaluateBudgets } from './budgets.mjs';
import { ms, signedMs } from './format-table.mjs';
import { splitByParty } from './target-parties.mjs';

const results = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const { summary, idleRss, counts, environment } = results;
const shown = results.targets.filter((name) => name !== 'direct' && name !== 'nginx');

const row = (cells) => `| ${cells.join(' | ')} |`;
const added = (key, field) => (name) => (summary[key] ? signedMs(summary[key].added[name]?.[field]?.median) : '-');
const both = (key, field, digits) => (name) => {
  const figures = summary[key]?.targets[name]?.[field];
  return figures ? splitByParty(name, figures).both.toFixed(digits) : '-';
};
const perStream = (name) => {
  const figures = summary.p1000?.targets[name]?.kilobytesPerOpenRequest;
  if (!figures) return '-';
  const { front, back } = splitByParty(name, figures);
  return Number.isFinite(back) ? `${front.toFixed(0)} / ${back.toFixed(0)}` : front.toFixed(0);
};
const idle = (name) => {
  const { front, back } = splitByParty(name, idleRss);
  return Number.isFinite(back) ? `${front.toFixed(0)} / ${back.toFixed(0)}` : front.toFixed(0);
};
const lines = [
  ['added p50 / p99 over nginx, c=1 (ms)', (name) => `${added('c1', 'p50')(name)} / ${added('c1', 'p99')(name)}`],
  ['added p50 over nginx, c=8 / c=64 (ms)', (name) => `${added('c8', 'p50')(name)} / ${added('c64', 'p50')(name)}`],
  ['requests/s at c=64, × nginx', (name) => (summary.c64 ? `${summary.c64.ratio[name].perSecond.toFixed(2)}×` : '-')],
  ['CPU per request, both processes, c=1 / c=32 (ms)', (name) => `${both('c1', 'cpuMsPerRequest', 3)(name)} / ${both('c32', 'cpuMsPerRequest', 3)(name)}`],
  ['p64 streams: added TTFT p50 / p99 (ms)', (name) => `${added('p64', 'firstTokenP50')(name)} / ${added('p64', 'firstTokenP99')(name)}`],
  ['p64 streams: inter-token p99 minus nginx (ms)', added('p64', 'gapP99')],
  ['p1000 streams: added TTFT p50 (ms)', added('p1000', 'firstTokenP50')],
  ['CPU per relayed token, s64, both (ms)', both('s64', 'cpuMsPerToken', 4)],
  ['KB per open stream, p1000 (front / back)', perStream],
  ['idle RSS, MB (front / back)', idle],
];
const nginx = summary.c32?.targets.nginx;
console.log(`Commit ${environment.commit}, ${environment.date.slice(0, 10)}; nginx on the same run: CPU per request ${nginx ? splitByParty('nginx', nginx.cpuMsPerRequest).both.toFixed(3) : '-'} ms at c=32, idle RSS ${idleRss.nginx?.toFixed(0) ?? '-'} MB.\n`);
console.log(row(['', ...shown]));
console.log(row(['---', ...shown.map(() => '---')]));
for (const [label, figure] of lines) console.log(row([label, ...shown.map(figure)]));
if (counts.length > 0) {
  console.log(`\n${row(['per answer through nachos', 'non-streaming', 'stream (s64)'])}\n${row(['---', '---', '---'])}`);
  for (const count of counts) console.log(row([count.label, ...count.values.map((value) => (Number.isFinite(value) ? value.toFixed(2) : '-'))]));
}
console.log(`\n${row(['budget', ...BUDGET_TARGETS, 'threshold', 'nachos met'])}\n${row(['---', ...BUDGET_TARGETS.map(() => '---'), '---', '---'])}`);
for (const line of evaluateBudgets(summary, idleRss)) {
  console.log(row([line.label.replace(/^\s*… /, '… '), ...BUDGET_TARGETS.map((target) => line.shown[target]), line.threshold, line.verdict]));
}
console.log(`\nnoise: load average ${environment.loadAverageAtStart.toFixed(2)} at start; other processes used ${(environment.otherLoad * 100).toFixed(0)}% of the machine's CPU.`);
