/**
 * The machine-independent counts per answer through nachos: the same figures on a noisy laptop and on a
 * quiet server, so a regression in them shows even when the timings cannot. A fixed number of requests is
 * sent one at a time and each count is the difference over them, divided by the requests:
 * - HTTP/2 streams opened between the services and protobuf messages on the seam (both directions), from
 *   llm-proxy's `/metrics` (its gRPC server's own tally, so they stay true however the gateway calls it);
 * - canonical events per answer, from llm-proxy's `/metrics`;
 * - upstream connections opened, as the fake upstream counts them;
 * - log lines written by each service, counted on their output.
 * A counter a service does not export shows as "-".
 */
import { INSTANT_MODEL, pacedModel } from './bench-models.mjs';
import { STREAM_SCENARIOS } from './bench-options.mjs';

const ANSWERS = 20;

const SERVICE_COUNTERS = [
  ['HTTP/2 streams opened between the services', 'nachos_llm_proxy_grpc_streams_opened_total'],
  ['protobuf messages between the services', 'nachos_llm_proxy_grpc_messages_total'],
  ['canonical events', 'nachos_llm_proxy_chat_events_total'],
];

/** The sum of every series of `name` in a Prometheus text exposition, or NaN when it is absent. */
function metricSum(text, name) {
  let sum = NaN;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || (line[name.length] !== ' ' && line[name.length] !== '{')) continue;
    sum = (Number.isNaN(sum) ? 0 : sum) + Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

async function snapshot(nachos, upstream) {
  const metrics = await (await fetch(nachos.llmProxyMetricsUrl)).text();
  const [gateway, llmProxy] = nachos.managed;
  return {
    ...Object.fromEntries(SERVICE_COUNTERS.map(([label, name]) => [label, metricSum(metrics, name)])),
    'upstream connections opened': (await upstream.counts()).connections,
    'log lines, gateway': gateway.lines(),
    'log lines, llm-proxy': llmProxy.lines(),
  };
}

async function send(url, model, stream) {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Say hello.' }], max_tokens: 32, stream }),
  });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`counting: HTTP ${response.status} from nachos`);
}

async function countOver(nachos, upstream, model, stream) {
  const before = await snapshot(nachos, upstream);
  for (let sent = 0; sent < ANSWERS; sent += 1) await send(nachos.url, model, stream);
  // Output lines of the last answers may still be in the pipes.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const after = await snapshot(nachos, upstream);
  return Object.fromEntries(Object.keys(before).map((label) => [label, (after[label] - before[label]) / ANSWERS]));
}

/** Rows `{label, values: [non-streaming, stream]}` for the report. */
export async function countPerAnswer(nachos, upstream) {
  const completion = await countOver(nachos, upstream, INSTANT_MODEL, false);
  const stream = await countOver(nachos, upstream, pacedModel(STREAM_SCENARIOS.s64), true);
  return Object.keys(completion).map((label) => ({ label, values: [completion[label], stream[label]] }));
}
