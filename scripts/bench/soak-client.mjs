/**
 * The slow-stream load test's client, its own process: opens `streams` streaming requests, each on its own
 * keep-alive connection, `rampPerSecond` at a time so the gateway's accept queue is not what is tested,
 * and reads them to the end. Tells its parent `{type: 'all-started'}` once every stream has its first token
 * (or failed), then `{type: 'done', result}` when the last one ended: errors (with the first reason), the
 * streams completed, and time to first token and the longest gap between tokens. Every second meanwhile
 * `{type: 'progress', started, completed, errors, firstError, commonErrors}`. Exits when the parent goes.
 */
import { Agent } from 'node:http';
import { percentile, sorted } from './latency-statistics.mjs';
import { timeStream } from './timed-chat-request.mjs';

/** The three most frequent failure messages (cut to 120 characters) with their counts. */
function commonErrors(errors) {
  const counts = new Map();
  for (const error of errors) counts.set(error.slice(0, 120), (counts.get(error.slice(0, 120)) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, 3);
}

async function run({ url, model, streams, rampPerSecond }) {
  const agent = new Agent({ keepAlive: true, maxSockets: streams });
  const body = Buffer.from(JSON.stringify({ model, messages: [{ role: 'user', content: 'Say hello.' }], max_tokens: 32, stream: true }));
  const target = new URL(url);
  const errors = [];
  const results = [];
  let started = 0;
  const one = () => {
    let counted = false;
    const count = () => {
      if (counted) return;
      counted = true;
      started += 1;
      if (started === streams) process.send({ type: 'all-started' });
    };
    return timeStream(agent, target, body, count).then(
      (result) => results.push(result),
      (error) => {
        errors.push(error.message);
        count();
      },
    );
  };
  const progress = setInterval(
    () => process.send({ type: 'progress', started, completed: results.length, errors: errors.length, firstError: errors[0], commonErrors: commonErrors(errors) }),
    1_000,
  );
  const running = [];
  const batch = Math.max(1, Math.round(rampPerSecond / 20));
  for (let opened = 0; opened < streams; opened += batch) {
    for (let index = opened; index < Math.min(streams, opened + batch); index += 1) running.push(one());
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await Promise.all(running);
  clearInterval(progress);
  agent.destroy();
  const firstTokens = sorted(results.map((result) => result.firstToken));
  return {
    streams,
    completed: results.length,
    errors: errors.length,
    firstError: errors[0],
    commonErrors: commonErrors(errors),
    firstTokenP50: percentile(firstTokens, 50),
    firstTokenP99: percentile(firstTokens, 99),
    longestGap: Math.max(0, ...results.flatMap((result) => result.gaps)),
  };
}

process.on('message', (message) => {
  if (message.type !== 'run') return;
  run(message).then(
    (result) => process.send({ type: 'done', result }),
    (error) => process.send({ type: 'failed', message: error.message }),
  );
});
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
