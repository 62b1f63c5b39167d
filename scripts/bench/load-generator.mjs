/**
 * The load generator, its own process so its CPU time is not charged to anything measured. It takes jobs
 * from its parent over IPC, two steps each, so the parent can read /proc between them:
 * - `prepare` {url, model, stream, concurrency}: a fresh keep-alive agent, and one request per worker so
 *   every connection is open (connection set-up is not part of a measured window); its failures are
 *   counted with the window's;
 * - `run` {durationMs}: closed loop, `concurrency` workers each sending the next request as soon as the last
 *   one is answered, until the duration is over; requests in flight then are awaited and counted.
 * It exits when the parent goes away.
 */
import { Agent } from 'node:http';
import { timeCompletion, timeStream } from './timed-chat-request.mjs';

let job;

function requestBody(model, stream) {
  const body = { model, messages: [{ role: 'user', content: 'Say hello.' }], max_tokens: 32 };
  if (stream) body.stream = true;
  return Buffer.from(JSON.stringify(body));
}

async function prepare({ url, model, stream, concurrency }) {
  job?.agent.destroy();
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
  job = { agent, url: new URL(url), stream, concurrency, body: requestBody(model, stream), send: stream ? timeStream : timeCompletion };
  // A failure here is counted with the window's (the report shows it), not thrown: one target's overload
  // must not end the whole run.
  const failures = [];
  await Promise.all(Array.from({ length: concurrency }, () => job.send(agent, job.url, job.body).catch((error) => failures.push(error.message))));
  job.prepareErrors = failures;
}

async function run({ durationMs }) {
  const { agent, url, body, send, concurrency, stream } = job;
  const samples = [];
  const errors = [...job.prepareErrors];
  const startedAt = performance.now();
  const deadline = startedAt + durationMs;
  const worker = async () => {
    while (performance.now() < deadline) {
      try {
        samples.push(await send(agent, url, body));
      } catch (error) {
        errors.push(error.message);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
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
