/**
 * The load generator, its own process so its CPU time is not charged to anything measured. It takes jobs
 * from its parent over IPC, two steps each, so the parent can read /proc between them:
 * - `prepare` {url, model, stream, concurrency, spreadMs}: a fresh keep-alive agent, and one instant
 *   non-streaming request per worker so every connection is open (connection set-up is not part of a measured
 *   window); its failures are counted with the window's. With `spreadMs`, the workers then start their closed loops that far
 *   apart in all (worker i after i/concurrency of it), and the step ends once the last one has started:
 *   the window opens on a loop whose requests are already spread out;
 * - `run` {durationMs}: closed loop, `concurrency` workers each sending the next request as soon as the last
 *   one is answered, until the duration is over (a loop that `prepare` started goes on; what it answered
 *   before this step is not counted); requests in flight then are awaited and counted.
 * It exits when the parent goes away.
 */
import { Agent } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { INSTANT_MODEL } from './bench-models.mjs';
import { timeCompletion, timeStream } from './timed-chat-request.mjs';

let job;

function requestBody(model, stream) {
  const body = { model, messages: [{ role: 'user', content: 'Say hello.' }], max_tokens: 32 };
  if (stream) body.stream = true;
  return Buffer.from(JSON.stringify(body));
}

/**
 * Starts `concurrency` closed-loop workers, worker i after `i * spreadMs / concurrency`; they run until
 * `loop.deadline`, which `run` sets.
 */
function startLoop(spreadMs) {
  const { agent, url, body, send, concurrency } = job;
  const loop = { samples: [], errors: [], deadline: Infinity };
  const worker = async (index) => {
    if (spreadMs > 0) await sleep((index * spreadMs) / concurrency);
    while (performance.now() < loop.deadline) {
      try {
        loop.samples.push(await send(agent, url, body));
      } catch (error) {
        loop.errors.push(error.message);
      }
    }
  };
  loop.done = Promise.all(Array.from({ length: concurrency }, (_, index) => worker(index)));
  return loop;
}

async function prepare({ url, model, stream, concurrency, spreadMs = 0 }) {
  job?.agent.destroy();
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
  job = { agent, url: new URL(url), stream, concurrency, body: requestBody(model, stream), send: stream ? timeStream : timeCompletion };
  // A failure here is counted with the window's (the report shows it), not thrown: one target's overload
  // must not end the whole run. The connections open with an instant answer: a paced stream each would hold
  // them all open at once, a burst the window is not about.
  const failures = [];
  const opening = requestBody(INSTANT_MODEL, false);
  await Promise.all(Array.from({ length: concurrency }, () => timeCompletion(agent, job.url, opening).catch((error) => failures.push(error.message))));
  job.prepareErrors = failures;
  if (spreadMs > 0) {
    job.loop = startLoop(spreadMs);
    await sleep(spreadMs);
  }
}

async function run({ durationMs }) {
  const { stream } = job;
  const startedAt = performance.now();
  const loop = job.loop ?? startLoop(0);
  job.loop = undefined;
  loop.deadline = startedAt + durationMs;
  // A loop that prepare started: only what it answers from now on counts.
  loop.samples = [];
  await loop.done;
  const { samples } = loop;
  const errors = [...job.prepareErrors, ...loop.errors];
  job.prepareErrors = [];
  const elapsedMs = performance.now() - startedAt;
  const result = { requests: samples.length, errors: errors.length, firstError: errors[0], elapsedMs };
  if (!stream) return { ...result, latencies: samples };
  return {
    ...result,
    firstTokens: samples.map((sample) => sample.firstToken),
    totals: samples.map((sample) => sample.total),
    gaps: samples.flatMap((sample) => sample.gaps),
    chunks: samples.map((sample) => sample.chunks),
  };
}

process.on('message', async (message) => {
  try {
    if (message.type === 'prepare') {
      await prepare(message);
      process.send({ type: 'prepared' });
    } else if (message.type === 'run') {
      process.send({ type: 'result', result: await run(message) });
    }
  } catch (error) {
    process.send({ type: 'failed', message: error.message });
  }
});
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
