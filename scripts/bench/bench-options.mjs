/**
 * The benchmark's knobs, from command-line flags or BENCH_* environment variables (a flag wins). The
 * defaults keep a full run well under three minutes on a 2-core machine; `--quick` is a ~20 s smoke run.
 */
import { parseArgs } from 'node:util';

const USAGE = `usage: npm run bench -- [options]
  --quick                     smoke run (~20 s): 1 round of 1 s windows, concurrencies 1,8, streams at 1
  --rounds N                  rounds of interleaved measurements (BENCH_ROUNDS, default 3)
  --duration S                seconds per measured window (BENCH_DURATION, default 2)
  --warmup S                  seconds of warm-up per target before the rounds (BENCH_WARMUP, default 2)
  --concurrency 1,8,32        non-streaming concurrencies (BENCH_CONCURRENCY)
  --stream-concurrency 1,8    streaming concurrencies (BENCH_STREAM_CONCURRENCY; "" for none)
  --chunks N                  content chunks per stream (BENCH_CHUNKS, default 20)
  --chunk-gap MS              ms between chunks from the fake upstream (BENCH_CHUNK_GAP, default 5)
  --targets direct,nginx,nachos  which targets to measure (BENCH_TARGETS; direct is always measured)
  --cpu-prof                  run the nachos services with --cpu-prof; the profiles' folder is printed
  --help`;

const FULL = { rounds: 3, duration: 2, warmup: 2, concurrency: '1,8,32', 'stream-concurrency': '1,8' };
const QUICK = { rounds: 1, duration: 1, warmup: 0.5, concurrency: '1,8', 'stream-concurrency': '1' };
const COMMON = { chunks: 20, 'chunk-gap': 5, targets: 'direct,nginx,nachos' };

function positiveNumber(name, text) {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number, got "${text}"`);
  return value;
}

function integerList(name, text) {
  if (text.trim() === '') return [];
  return text.split(',').map((part) => {
    const value = positiveNumber(name, part.trim());
    if (!Number.isInteger(value)) throw new Error(`--${name} takes whole numbers, got "${part}"`);
    return value;
  });
}

/** Parses argv and the environment; prints usage and exits on --help. */
export function readBenchOptions(argv = process.argv.slice(2), env = process.env) {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean' },
      rounds: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      concurrency: { type: 'string' },
      'stream-concurrency': { type: 'string' },
      chunks: { type: 'string' },
      'chunk-gap': { type: 'string' },
      targets: { type: 'string' },
      'cpu-prof': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const quick = values.quick ?? env.BENCH_QUICK === '1';
  const defaults = { ...COMMON, ...(quick ? QUICK : FULL) };
  const pick = (name) => values[name] ?? env[`BENCH_${name.toUpperCase().replaceAll('-', '_')}`] ?? String(defaults[name]);
  const targets = pick('targets').split(',').map((target) => target.trim());
  const unknown = targets.find((target) => !['direct', 'nginx', 'nachos'].includes(target));
  if (unknown) throw new Error(`unknown target "${unknown}" (direct, nginx, nachos)`);
  const rounds = positiveNumber('rounds', pick('rounds'));
  const chunks = positiveNumber('chunks', pick('chunks'));
  if (!Number.isInteger(rounds) || !Number.isInteger(chunks)) throw new Error('--rounds and --chunks take whole numbers');
  const concurrencies = integerList('concurrency', pick('concurrency'));
  const streamConcurrencies = integerList('stream-concurrency', pick('stream-concurrency'));
  if (concurrencies.length + streamConcurrencies.length === 0) throw new Error('nothing to measure: --concurrency and --stream-concurrency are both empty');
  return {
    quick,
    rounds,
    durationMs: positiveNumber('duration', pick('duration')) * 1000,
    warmupMs: positiveNumber('warmup', pick('warmup')) * 1000,
    concurrencies,
    streamConcurrencies,
    chunks,
    chunkGapMs: positiveNumber('chunk-gap', pick('chunk-gap')),
    targets: ['direct', ...new Set(targets.filter((target) => target !== 'direct'))],
    cpuProfile: values['cpu-prof'] ?? false,
  };
}
