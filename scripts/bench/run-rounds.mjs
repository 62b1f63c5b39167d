/**
 * The schedule: a warm-up per target (JIT, connection pools), then rounds. Within a round every scenario
 * runs against every target back to back, so the windows that are compared are seconds apart, and the order
 * of the targets rotates from round to round, so no target always runs first (or always right after another
 * one heated the CPU). Drift on a shared machine then touches all targets alike.
 */
import { INSTANT_MODEL, pacedModel } from './bench-models.mjs';
import { STREAM_SCENARIOS } from './bench-options.mjs';
import { measureWindow } from './measure-window.mjs';

const CHAT_PATH = '/v1/chat/completions';

/** How long one paced stream lasts, from request to last token. */
function streamLifetimeMs({ firstMs, gapMs, tokens }) {
  return firstMs + gapMs * (tokens - 1);
}

/**
 * Scenario keys are stable names for the report and the JSON: `c8` non-streaming at concurrency 8, and the
 * stream scenarios by their names (STREAM_SCENARIOS). A stream window lasts at least two streams.
 */
export function scenariosOf(options) {
  return [
    ...options.concurrencies.map((concurrency) => ({ key: `c${concurrency}`, stream: false, concurrency, model: INSTANT_MODEL, durationMs: options.durationMs })),
    ...options.streams.map((key) => {
      const { concurrency, ...pacing } = STREAM_SCENARIOS[key];
      const durationMs = Math.max(options.durationMs, 2 * streamLifetimeMs(pacing));
      return { key, stream: true, concurrency, pacing, model: pacedModel(pacing), durationMs };
    }),
  ];
}

function rotate(list, by) {
  const shift = by % list.length;
  return [...list.slice(shift), ...list.slice(0, shift)];
}

const WARM_UP_STREAM = pacedModel(STREAM_SCENARIOS.s64);

async function warmUp(loadGenerator, targets, options, onProgress) {
  for (const target of targets) {
    onProgress(`warm-up ${target.name}`);
    await loadGenerator.prepare({ url: target.url + CHAT_PATH, model: INSTANT_MODEL, stream: false, concurrency: 8 });
    await loadGenerator.run(options.warmupMs);
    if (options.streams.length > 0) {
      await loadGenerator.prepare({ url: target.url + CHAT_PATH, model: WARM_UP_STREAM, stream: true, concurrency: 8 });
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
        const job = { url: target.url + CHAT_PATH, model: scenario.model, stream: scenario.stream, concurrency: scenario.concurrency };
        const measured = await measureWindow(loadGenerator, groups, job, scenario.durationMs);
        windows.push({ round, scenario: scenario.key, target: target.name, ...measured });
        const rate = (measured.result.requests / measured.result.elapsedMs) * 1000;
        const errors = measured.result.errors ? `, ${measured.result.errors} errors (${measured.result.firstError})` : '';
        onProgress(`round ${round}/${options.rounds} ${scenario.key.padEnd(5)} ${target.name.padEnd(10)} ${rate.toFixed(0)}/s${errors}`);
      }
    }
  }
  return windows;
}
