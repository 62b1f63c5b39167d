#!/usr/bin/env node
/**
 * `node scripts/bench/readme-table.mjs <results.json>`: the README's performance tables from a run's JSON
 * (the path the benchmark prints last), as Markdown: the budgets with nachos's verdicts and the floors'
 * figures beside them, then the counts per answer.
 */
import { readFileSync } from 'node:fs';
import { BUDGET_TARGETS, evaluateBudgets } from './budgets.mjs';
import { splitByParty } from './target-parties.mjs';

const results = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const { summary, idleRss, counts, environment } = results;
const row = (cells) => `| ${cells.join(' | ')} |`;
const nginx = summary.c32?.targets.nginx;
console.log(`Commit ${environment.commit}, ${environment.date.slice(0, 10)}; nginx on the same run: CPU per request ${nginx ? splitByParty('nginx', nginx.cpuMsPerRequest).both.toFixed(3) : '-'} ms at c=32, idle RSS ${idleRss.nginx?.toFixed(0) ?? '-'} MB.\n`);
console.log(row(['budget', ...BUDGET_TARGETS, 'threshold', 'nachos met']));
console.log(row(['---', ...BUDGET_TARGETS.map(() => '---'), '---', '---']));
for (const line of evaluateBudgets(summary, idleRss)) {
  console.log(row([line.label.replace(/^\s*… /, '… '), ...BUDGET_TARGETS.map((target) => line.shown[target]), line.threshold, line.verdict]));
}
if (counts.length > 0) {
  console.log(`\n${row(['per answer through nachos', 'non-streaming', 'stream (s64)'])}\n${row(['---', '---', '---'])}`);
  for (const count of counts) console.log(row([count.label, ...count.values.map((value) => (Number.isFinite(value) ? value.toFixed(2) : '-'))]));
}
console.log(`\nnoise: load average ${environment.loadAverageAtStart.toFixed(2)} at start; other processes used ${(environment.otherLoad * 100).toFixed(0)}% of the machine's CPU.`);
