import { EventLoopLag } from '@nachos/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { UsageRecord } from '../usage/usage-record.js';
import { sampleUsageRecord } from '../../../../test/helpers/sample-usage-record.js';
import { GatewayMetrics } from './gateway-metrics.js';

/** The metered series as prom-client counts them itself, one inc()/observe() per request: what `/metrics` must keep showing. */
function promClientCounting() {
  const registry = new Registry();
  const registers = [registry];
  const requests = new Counter({ name: 'nachos_gateway_requests_total', help: 'Model requests by client protocol, resolved model and HTTP status.', labelNames: ['protocol', 'model', 'status', 'outcome'], registers });
  const duration = new Histogram({
    name: 'nachos_gateway_request_duration_seconds',
    help: 'Time from request to last byte of model requests.',
    labelNames: ['protocol', 'stream'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers,
  });
  const firstToken = new Histogram({
    name: 'nachos_gateway_time_to_first_token_seconds',
    help: 'Time from request to the first generated token.',
    labelNames: ['protocol', 'model'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64],
    registers,
  });
  const tokens = new Counter({ name: 'nachos_gateway_tokens_total', help: 'Tokens by client protocol, resolved model and type (input, output, cached, reasoning).', labelNames: ['protocol', 'model', 'type'], registers });
  const openStreams = new Gauge({ name: 'nachos_gateway_open_streams', help: 'Streaming responses currently open, by client protocol.', labelNames: ['protocol'], registers });
  const seen = new Set<string>();
  return {
    registry,
    observeRequest(record: UsageRecord) {
      let model = record.resolved_model ?? 'unresolved';
      if (!seen.has(model)) {
        if (seen.size >= 200) model = 'other';
        else seen.add(model);
      }
      const protocol = record.protocol;
      requests.inc({ protocol, model, status: String(record.status), outcome: record.outcome });
      duration.observe({ protocol, stream: String(record.is_stream) }, record.latency_ms / 1000);
      if (record.time_to_first_token_ms !== null) firstToken.observe({ protocol, model }, record.time_to_first_token_ms / 1000);
      const counts = { input: record.input_tokens, output: record.output_tokens, cached: record.cached_tokens, reasoning: record.reasoning_tokens };
      for (const [type, count] of Object.entries(counts)) if (count > 0) tokens.inc({ protocol, model, type }, count);
    },
    streamOpened: (protocol: string) => openStreams.inc({ protocol }),
    streamClosed: (protocol: string) => openStreams.dec({ protocol }),
  };
}

/** What the metrics read of a record differs from the shared sample only in its timing. */
function record(overrides: Partial<UsageRecord>): UsageRecord {
  return sampleUsageRecord({ latency_ms: 120, time_to_first_token_ms: null, ...overrides });
}

const METERED = ['nachos_gateway_requests_total', 'nachos_gateway_request_duration_seconds', 'nachos_gateway_time_to_first_token_seconds', 'nachos_gateway_tokens_total', 'nachos_gateway_open_streams'];

async function expectSameExposition(metrics: GatewayMetrics, reference: ReturnType<typeof promClientCounting>) {
  for (const name of METERED) expect(await metrics.registry.getSingleMetricAsString(name)).toBe(await reference.registry.getSingleMetricAsString(name));
}

describe('GatewayMetrics', () => {
  const lag = new EventLoopLag(0);
  afterAll(() => lag.stop());

  it('shows in /metrics the series, values and order prom-client would show counting each request itself, scrape after scrape', async () => {
    const metrics = new GatewayMetrics(lag);
    const reference = promClientCounting();
    const both = (act: (target: Pick<GatewayMetrics, 'observeRequest' | 'streamOpened' | 'streamClosed'>) => void) => {
      act(metrics);
      act(reference);
    };
    await expectSameExposition(metrics, reference);
    both((target) => target.observeRequest(record({})));
    both((target) => target.streamOpened('anthropic'));
    both((target) => target.observeRequest(record({ protocol: 'anthropic', is_stream: true, time_to_first_token_ms: 340, latency_ms: 2_600, cached_tokens: 4, reasoning_tokens: 7 })));
    await expectSameExposition(metrics, reference);
    both((target) => target.streamClosed('anthropic'));
    both((target) => target.streamOpened('ollama'));
    both((target) => target.observeRequest(record({ resolved_model: null, outcome: 'refused', status: 429, input_tokens: 0, output_tokens: 0, latency_ms: 0.4 })));
    both((target) => target.observeRequest(record({ outcome: 'error', status: 502, error_kind: 'upstream', output_tokens: 0, latency_ms: 400_000 })));
    both((target) => target.observeRequest(record({ latency_ms: 50, output_tokens: 12 })));
    // gpt-4o and unresolved, then 198 more names fill the 200 model labels: the last 7 are counted as other.
    for (let index = 0; index < 205; index++) both((target) => target.observeRequest(record({ resolved_model: `model-${index}`, time_to_first_token_ms: index })));
    await expectSameExposition(metrics, reference);
    expect(await metrics.registry.getSingleMetricAsString('nachos_gateway_requests_total')).toContain(
      'nachos_gateway_requests_total{protocol="openai",model="other",status="200",outcome="success"} 7',
    );
  });

  it("reads the event-loop delay gauges from the lag monitor: how late its timers fired, a block included", async () => {
    const metrics = new GatewayMetrics(lag);
    const gauge = async (name: string) => Number(/ (\S+)$/.exec((await metrics.registry.getSingleMetricAsString(`nachos_gateway_nodejs_eventloop_lag_${name}_seconds`)).trim())?.[1]);
    await metrics.registry.metrics(); // a scrape starts the gauges afresh
    lag.noteWork();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const until = Date.now() + 200;
    while (Date.now() < until);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await metrics.registry.metrics(); // prom-client reads all its gauges in the first one's collect
    expect(await gauge('max')).toBeGreaterThanOrEqual(0.15);
    // Delays, not the time between samples: a sample on time reads about nothing.
    expect(await gauge('min')).toBeLessThan(0.005);
  });
});
