import { withEventLoopDelays, type EventLoopLag } from '@nachos/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { UsageRecord } from '../usage/usage-record.js';
import { BoundedLabel } from './bounded-label.js';
import { HistogramCounts } from './histogram-counts.js';
import type { RequestLabel, TokenLabel } from './model-series.js';
import { ProtocolSeries, type RequestMetrics } from './protocol-series.js';
import { SeriesCounts } from './series-counts.js';

/** Error kinds that are the caller's doing (or llm-proxy refusing before any upstream call), not upstream failures. */
const CALLER_ERRORS: ReadonlySet<string> = new Set(['invalid_request', 'not_found', 'cancelled']);

/** Distinct model label values before the rest are counted as `other`. */
const MODEL_LABEL_CAPACITY = 200;

/**
 * The gateway's Prometheus metrics. Every label is bounded: protocols, statuses, token types, limit
 * names and failure reasons come from fixed lists, models from llm-proxy's resolution (capped); no label
 * ever holds a key, a user or a request id.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly #models = new BoundedLabel(MODEL_LABEL_CAPACITY);
  // Counted per request by the series below, handed to prom-client at scrape time (see SeriesCounts and HistogramCounts).
  readonly #requestCounts = new SeriesCounts<RequestLabel>();
  readonly #tokenCounts = new SeriesCounts<TokenLabel>();
  readonly #openStreamCounts = new SeriesCounts<'protocol'>();
  readonly #durationCounts = new HistogramCounts<'protocol' | 'stream'>([0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300]);
  readonly #firstTokenCounts = new HistogramCounts<'protocol' | 'model'>([0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64]);
  readonly #protocols = new Map<string, ProtocolSeries>();
  readonly #requests: Counter<RequestLabel> = new Counter({
    name: 'nachos_gateway_requests_total',
    help: 'Model requests by client protocol, resolved model and HTTP status.',
    labelNames: ['protocol', 'model', 'status', 'outcome'],
    registers: [this.registry],
    collect: () => this.#requestCounts.fillCounter(this.#requests),
  });
  readonly #duration: Histogram<'protocol' | 'stream'> = new Histogram({
    name: 'nachos_gateway_request_duration_seconds',
    help: 'Time from request to last byte of model requests.',
    labelNames: ['protocol', 'stream'],
    buckets: [...this.#durationCounts.upperBounds],
    registers: [this.registry],
    collect: () => this.#durationCounts.fillHistogram(this.#duration),
  });
  readonly #firstToken: Histogram<'protocol' | 'model'> = new Histogram({
    name: 'nachos_gateway_time_to_first_token_seconds',
    help: 'Time from request to the first generated token.',
    labelNames: ['protocol', 'model'],
    buckets: [...this.#firstTokenCounts.upperBounds],
    registers: [this.registry],
    collect: () => this.#firstTokenCounts.fillHistogram(this.#firstToken),
  });
  readonly #tokens: Counter<TokenLabel> = new Counter({
    name: 'nachos_gateway_tokens_total',
    help: 'Tokens by client protocol, resolved model and type (input, output, cached, reasoning).',
    labelNames: ['protocol', 'model', 'type'],
    registers: [this.registry],
    collect: () => this.#tokenCounts.fillCounter(this.#tokens),
  });
  readonly #upstreamErrors = new Counter({
    name: 'nachos_gateway_upstream_errors_total',
    help: 'Model requests that llm-proxy failed, by error kind.',
    labelNames: ['kind'],
    registers: [this.registry],
  });
  readonly #failovers = new Counter({
    name: 'nachos_gateway_failovers_total',
    help: 'Upstream attempts after the first, as llm-proxy reports them on served requests.',
    registers: [this.registry],
  });
  readonly #rejections = new Counter({
    name: 'nachos_gateway_rate_limit_rejections_total',
    help: 'Requests refused with 429 by the gateway, by the limit that refused.',
    labelNames: ['limit'],
    registers: [this.registry],
  });
  readonly #authFailures = new Counter({
    name: 'nachos_gateway_auth_failures_total',
    help: 'Requests refused by gateway authentication, by reason (missing, invalid, throttled, model_not_allowed).',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  readonly #openStreams: Gauge<'protocol'> = new Gauge({
    name: 'nachos_gateway_open_streams',
    help: 'Streaming responses currently open, by client protocol.',
    labelNames: ['protocol'],
    registers: [this.registry],
    collect: () => this.#openStreamCounts.fillGauge(this.#openStreams),
  });
  readonly #usageReports = new Counter({
    name: 'nachos_gateway_usage_reports_total',
    help: 'Usage records by reporter and result (sent, failed, dropped).',
    labelNames: ['reporter', 'result'],
    registers: [this.registry],
  });
  readonly #series: RequestMetrics;
  readonly #limiterDegraded = new Gauge({
    name: 'nachos_gateway_rate_limit_degraded',
    help: '1 while Redis is configured but unreachable and limits are decided without it.',
    registers: [this.registry],
  });

  /** `lag` feeds the process metrics' event-loop delay gauges (see withEventLoopDelays). */
  constructor(lag: EventLoopLag) {
    withEventLoopDelays(lag, () => collectDefaultMetrics({ register: this.registry, prefix: 'nachos_gateway_' }));
    this.#series = { requests: this.#requestCounts, tokens: this.#tokenCounts, openStreams: this.#openStreamCounts, duration: this.#durationCounts, firstToken: this.#firstTokenCounts };
  }

  /** Everything one finished request tells: its count, duration, first token, tokens and failure kind. */
  observeRequest(record: UsageRecord): void {
    const protocol = this.#protocol(record.protocol);
    const series = protocol.model(this.#models.value(record.resolved_model ?? 'unresolved'));
    series.request(record.status, record.outcome).value += 1;
    protocol.duration(record.is_stream).observe(record.latency_ms / 1000);
    if (record.time_to_first_token_ms !== null) series.firstToken.observe(record.time_to_first_token_ms / 1000);
    if (record.input_tokens > 0) series.tokens('input').value += record.input_tokens;
    if (record.output_tokens > 0) series.tokens('output').value += record.output_tokens;
    if (record.cached_tokens > 0) series.tokens('cached').value += record.cached_tokens;
    if (record.reasoning_tokens > 0) series.tokens('reasoning').value += record.reasoning_tokens;
    if (record.outcome === 'error' && record.error_kind && !CALLER_ERRORS.has(record.error_kind)) this.#upstreamErrors.inc({ kind: record.error_kind });
    if (record.attempts !== null && record.attempts > 1) this.#failovers.inc(record.attempts - 1);
  }

  rateLimitRejected(limit: string): void {
    this.#rejections.inc({ limit });
  }

  authFailed(reason: string): void {
    this.#authFailures.inc({ reason });
  }

  streamOpened(protocol: string): void {
    this.#protocol(protocol).openStreams.value += 1;
  }

  streamClosed(protocol: string): void {
    this.#protocol(protocol).openStreams.value -= 1;
  }

  usageReported(reporter: string, result: 'sent' | 'failed' | 'dropped', count: number): void {
    this.#usageReports.inc({ reporter, result }, count);
  }

  limiterDegraded(degraded: boolean): void {
    this.#limiterDegraded.set(degraded ? 1 : 0);
  }

  #protocol(protocol: string): ProtocolSeries {
    let series = this.#protocols.get(protocol);
    if (!series) this.#protocols.set(protocol, (series = new ProtocolSeries(protocol, this.#series)));
    return series;
  }
}
