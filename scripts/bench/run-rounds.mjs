/**
 * The schedule: a warm-up per target (JIT, connection pools), then rounds. Within a round every scenario
 * runs against every target back to back, so the windows that are compared are seconds apart, and the order
 * of the targets rotates from round to round, so no target always runs first (or always right after another
 * one heated the CPU). Drift on a shared machine then touches all targets alike.
 */
import { measureWindow } from './measure-window.mjs';

const CHAT_PATH = '/v1/chat/completions';

/** Scenario keys are stable names for the report and the JSON: `c8` non-streaming, `s8` streaming. */
export function scenariosOf(options) {
  return [
    ...options.concurrencies.map((concurrency) => ({ key: `c${concurrency}`, stream: false, concurrency })),
    ...options.streamConcurrencies.map((concurrency) => ({ key: `s${concurrency}`, stream: true, concurrency })),
  ];
}

function rotate(list, by) {
  const shift = by % list.length;
  return [...list.slice(shift), ...list.slice(0, shift)];
}

async function warmUp(loadGenerator, targets, options, onProgress) {
  for (const target of targets) {
    onProgress(`warm-up ${target.name}`);
    await loadGenerator.prepare({ url: target.url + CHAT_PATH, stream: false, concurrency: 8 });
    await loadGenerator.run(options.warmupMs);
    if (options.streamConcurrencies.length > 0) {
      await loadGenerator.prepare({ url: target.url + CHAT_PATH, stream: true, concurrency: 4 });
      await loadGenerator.run(options.warmupMs / 2);
    }
  }
}

/** Runs everything; resolves with one entry per measured window. `targets` = [{name, url}]. */
export async function runRounds({ options, targets, loadGenerator, groups, onProgress }) {
  await warmUp(loadGenerator, targets, options, onProgress);
  const windows = [];
  for (let round = 1; round <= options.rounds; round += 1) {
    for (const scenario of scenariosOf(options)) {
      for (const target of rotate(targets, round - 1)) {
        const job = { url: target.url + CHAT_PATH, stream: scenario.stream, concurrency: scenario.concurrency };
        const measured = await measureWindow(loadGenerator, groups, job, options.durationMs);
        if (measured.result.requests === 0) {
          throw new Error(`${target.name} answered no request in ${scenario.key}: ${measured.result.firstError ?? 'no error reported'}`);
        }
        windows.push({ round, scenario: scenario.key, target: target.name, ...measured });
        const rate = (measured.result.requests / measured.result.elapsedMs) * 1000;
        const errors = measured.result.errors ? `, ${measured.result.errors} errors (${measured.result.firstError})` : '';
        onProgress(`round ${round}/${options.rounds} ${scenario.key.padEnd(4)} ${target.name.padEnd(6)} ${rate.toFixed(0)}/s${errors}`);
      }
    }
  }
  return windows;
}
