/**
 * The benchmark's knobs, from command-line flags or BENCH_* environment variables (a flag wins). The
 * defaults keep a full run around six minutes on a 2-core machine; `--quick` is a ~45 s smoke run and
 * `--soak` the 10,000-stream load test instead of the rounds.
 */
import { parseArgs } from 'node:util';

const USAGE = `usage: npm run bench -- [options]
  --quick                     smoke run (~45 s on a quiet machine): 1 round of 0.75 s windows,
                              concurrencies 1,64, streams p64
  --rounds N                  rounds of interleaved measurements (BENCH_ROUNDS, default 3)
  --duration S                seconds per measured window (BENCH_DURATION, default 1.5; a stream window
                              lasts at least one stream, two when the streams start together)
  --warmup N                  requests each target serves at c=8 before the rounds, then a tenth as many s64
                              streams (BENCH_WARMUP, default 10000, --quick 1000); the first second is
                              reported as start-up
  --concurrency 1,8,32,64     non-streaming concurrencies (BENCH_CONCURRENCY)
  --streams s64,p64,b64,p1000 stream scenarios (BENCH_STREAMS; "" for none):
                                s64   64 streams, 20 tokens as fast as the upstream writes them (saturation)
                                p64   64 streams, first token after 50 ms, then one every 20 ms, 20 tokens;
                                      their starts spread over one stream's length, as independent
                                      clients' would be
                                b64   p64's streams, but all 64 started together in every cycle (a fan-out)
                                p1000 1,000 streams, one token every 500 ms, 4 tokens, starts spread
  --targets direct,nginx,node-proxy,grpc-floor,nachos
                              which targets to measure (BENCH_TARGETS; direct is always measured)
  --soak                      instead of the rounds: the slow-stream load test through one gateway and one
                              llm-proxy (see --soak-streams), reporting errors, memory, descriptors and lag
  --soak-streams N            concurrent streams in the load test (BENCH_SOAK_STREAMS, default 10000)
  --baseline DIR              also measure the nachos built in checkout DIR (BENCH_BASELINE), as target
                              "baseline" in the same rounds: a change's before and after side by side
  --cpu-prof                  run the nachos services with --cpu-prof; the profiles' folder is printed
  --help`;

/**
 * Stream scenarios by name: concurrency, the fake upstream's pacing, and whether the streams start together.
 * A closed loop of streams that all last the same time stays in step with itself: if they start in the same
 * millisecond, every later cycle does too, and each token reaches the target as one of a burst. So the paced
 * scenarios spread their starts over one stream's length, as independent clients' would be; `b64` keeps them
 * together, the shape of one client fanning out 64 calls at once.
 */
export const STREAM_SCENARIOS = {
  s64: { concurrency: 64, firstMs: 0, gapMs: 0, tokens: 20 },
  p64: { concurrency: 64, firstMs: 50, gapMs: 20, tokens: 20 },
  b64: { concurrency: 64, firstMs: 50, gapMs: 20, tokens: 20, together: true },
  p1000: { concurrency: 1000, firstMs: 500, gapMs: 500, tokens: 4 },
};

export const TARGETS = ['direct', 'nginx', 'node-proxy', 'grpc-floor', 'nachos'];
/** Every target the rounds know; "baseline" runs only with --baseline, so it is not in the default list. */
const KNOWN_TARGETS = [...TARGETS.slice(0, -1), 'baseline', 'nachos'];

const FULL = { rounds: 3, duration: 1.5, warmup: 10000, concurrency: '1,8,32,64', streams: 's64,p64,b64,p1000' };
const QUICK = { rounds: 1, duration: 0.75, warmup: 1000, concurrency: '1,64', streams: 'p64' };
const COMMON = { targets: TARGETS.join(','), 'soak-streams': 10000 };

function positiveNumber(name, text) {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number, got "${text}"`);
  return value;
}

function wholeNumber(name, text) {
  const value = positiveNumber(name, text);
  if (!Number.isInteger(value)) throw new Error(`--${name} takes whole numbers, got "${text}"`);
  return value;
}

function list(text) {
  return text.trim() === '' ? [] : text.split(',').map((part) => part.trim());
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
      streams: { type: 'string' },
      targets: { type: 'string' },
      soak: { type: 'boolean' },
      'soak-streams': { type: 'string' },
      'cpu-prof': { type: 'boolean' },
      baseline: { type: 'string' },
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
  const baseline = values.baseline ?? env.BENCH_BASELINE;
  const targets = [...list(pick('targets')), ...(baseline ? ['baseline'] : [])];
  const unknown = targets.find((target) => !KNOWN_TARGETS.includes(target));
  if (unknown) throw new Error(`unknown target "${unknown}" (${TARGETS.join(', ')})`);
  if (targets.includes('baseline') && !baseline) throw new Error('the baseline target needs --baseline DIR, a built nachos checkout');
  const streams = list(pick('streams'));
  const unknownStream = streams.find((name) => !STREAM_SCENARIOS[name]);
  if (unknownStream) throw new Error(`unknown stream scenario "${unknownStream}" (${Object.keys(STREAM_SCENARIOS).join(', ')})`);
  const concurrencies = list(pick('concurrency')).map((part) => wholeNumber('concurrency', part));
  if (concurrencies.length + streams.length === 0) throw new Error('nothing to measure: --concurrency and --streams are both empty');
  return {
    quick,
    rounds: wholeNumber('rounds', pick('rounds')),
    durationMs: positiveNumber('duration', pick('duration')) * 1000,
    warmupRequests: wholeNumber('warmup', pick('warmup')),
    concurrencies,
    streams,
    targets: KNOWN_TARGETS.filter((target) => target === 'direct' || targets.includes(target)),
    baseline,
    soak: values.soak ?? env.BENCH_SOAK === '1',
    soakStreams: wholeNumber('soak-streams', pick('soak-streams')),
    cpuProfile: values['cpu-prof'] ?? false,
  };
}
