/**
 * The schedule: a warm-up per target (JIT, heap, connection pools), then rounds. Within a round every scenario
 * runs against every target back to back, so the windows that are compared are seconds apart. The order of
 * the targets rotates, so no target always runs first, and every other round runs the last one backwards:
 * a rotation alone keeps each target right after the same one (nachos after its baseline), and
 * whatever a target leaves running when its window ends (a collection, sockets closing) would always land in
 * the same neighbour's window. Drift on a shared machine then touches all targets alike.
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
 * stream scenarios by their names (STREAM_SCENARIOS). A stream window lasts at least one stream when the
 * streams are spread (the loop is already in its steady state as the window opens, so one stream's length
 * holds every phase of it) and at least two when they start together. Shorter windows also shorten the gap
 * between one target's windows: past 30 s of it nachos gives its idle memory back, and the next window
 * regrows the heap and reads that as memory per stream (README, Performance).
 */
export function scenariosOf(options) {
  return [
    ...options.concurrencies.map((concurrency) => ({ key: `c${concurrency}`, stream: false, concurrency, model: INSTANT_MODEL, durationMs: options.durationMs })),
    ...options.streams.map((key) => {
      const { concurrency, together, ...pacing } = STREAM_SCENARIOS[key];
      const lifetimeMs = streamLifetimeMs(pacing);
      const durationMs = Math.max(options.durationMs, (together ? 2 : 1) * lifetimeMs);
      return { key, stream: true, concurrency, pacing, model: pacedModel(pacing), durationMs, spreadMs: together ? 0 : lifetimeMs };
    }),
  ];
}

/**
 * The targets in round `round` (from 1), in pairs of rounds: a rotation (by one more every pair), then the same
 * backwards. Over each pair every target runs right before a neighbour as often as right after it.
 */
export function roundOrder(list, round) {
  const shift = Math.floor((round - 1) / 2) % list.length;
  const rotated = [...list.slice(shift), ...list.slice(0, shift)];
  return round % 2 === 0 ? rotated.reverse() : rotated;
}

const WARM_UP_STREAM = pacedModel(STREAM_SCENARIOS.s64);
const WARM_UP_CONCURRENCY = 8;
/** The warm-up's first window, measured apart: what a target's first requests cost (see warmUp). */
const START_UP_MS = 1_000;
/** How long the warm-up runs between looks at its count. */
const WARM_UP_STEP_MS = 500;
/** A target that cannot reach its count (it fails, or crawls) stops warming after this long. */
const WARM_UP_LIMIT_MS = 60_000;

/** Runs the prepared job until `served` has grown to `count` requests (failed ones included). */
async function serveUntil(loadGenerator, count, served) {
  const deadline = performance.now() + WARM_UP_LIMIT_MS;
  while (served < count && performance.now() < deadline) {
    const result = await loadGenerator.run(WARM_UP_STEP_MS);
    served += result.requests + result.errors;
  }
}

/**
 * Each target serves `warmupRequests` non-streaming requests, then a tenth as many s64 streams, before the
 * rounds. V8 compiles a function for speed only after it has run many times, and a fresh process faults in
 * the pages its heap grows into, so a Node service's first thousands of requests cost several times what
 * the later ones do; a count, not a time, warms a slow target as far as a fast one. The first second is
 * measured and reported as the target's start-up cost, so the rounds show the path and nothing is hidden.
 */
async function warmUp(loadGenerator, groups, targets, options, onProgress) {
  const startUp = [];
  for (const target of targets) {
    onProgress(`warm-up ${target.name}`);
    const job = { url: target.url + CHAT_PATH, model: INSTANT_MODEL, stream: false, concurrency: WARM_UP_CONCURRENCY };
    // The start-up window prepares the job; the warm-up goes on over its connections.
    const first = await measureWindow(loadGenerator, groups, job, START_UP_MS);
    startUp.push({ target: target.name, ...first });
    await serveUntil(loadGenerator, options.warmupRequests, first.result.requests);
    if (options.streams.length > 0) {
      await loadGenerator.prepare({ ...job, model: WARM_UP_STREAM, stream: true });
      await serveUntil(loadGenerator, Math.ceil(options.warmupRequests / 10), 0);
    }
  }
  return startUp;
}

/**
 * Runs everything; resolves with one entry per measured window, and the start-up window of each target.
 * `targets` = [{name, url}].
 */
export async function runRounds({ options, targets, loadGenerator, groups, onProgress }) {
  const startUp = await warmUp(loadGenerator, groups, targets, options, onProgress);
  const windows = [];
  for (let round = 1; round <= options.rounds; round += 1) {
    for (const scenario of scenariosOf(options)) {
      for (const target of roundOrder(targets, round)) {
        const job = { url: target.url + CHAT_PATH, model: scenario.model, stream: scenario.stream, concurrency: scenario.concurrency, spreadMs: scenario.spreadMs };
        const measured = await measureWindow(loadGenerator, groups, job, scenario.durationMs);
        windows.push({ round, scenario: scenario.key, target: target.name, ...measured });
        const rate = (measured.result.requests / measured.result.elapsedMs) * 1000;
        const errors = measured.result.errors ? `, ${measured.result.errors} errors (${measured.result.firstError})` : '';
        onProgress(`round ${round}/${options.rounds} ${scenario.key.padEnd(5)} ${target.name.padEnd(10)} ${rate.toFixed(0)}/s${errors}`);
      }
    }
  }
  return { windows, startUp };
}
