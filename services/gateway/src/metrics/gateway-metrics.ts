import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { UsageRecord } from '../usage/usage-record.js';
import { BoundedLabel } from './bounded-label.js';

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
  readonly #requests = new Counter({
    name: 'nachos_gateway_requests_total',
    help: 'Model requests by client protocol, resolved model and HTTP status.',
    labelNames: ['protocol', 'model', 'status', 'outcome'],
    registers: [this.registry],
  });
  readonly #duration = new Histogram({
    name: 'nachos_gateway_request_duration_seconds',
    help: 'Time from request to last byte of model requests.',
    labelNames: ['protocol', 'stream'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [this.registry],
  });
  readonly #firstToken = new Histogram({
    name: 'nachos_gateway_time_to_first_token_seconds',
    help: 'Time from request to the first generated token.',
    labelNames: ['protocol', 'model'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64],
    registers: [this.registry],
  });
  readonly #tokens = new Counter({
    name: 'nachos_gateway_tokens_total',
    help: 'Tokens by client protocol, resolved model and type (input, output, cached, reasoning).',
    labelNames: ['protocol', 'model', 'type'],
    registers: [this.registry],
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
  readonly #openStreams = new Gauge({
    name: 'nachos_gateway_open_streams',
    help: 'Streaming responses currently open, by client protocol.',
    labelNames: ['protocol'],
    registers: [this.registry],
  });
  readonly #usageReports = new Counter({
    name: 'nachos_gateway_usage_reports_total',
    help: 'Usage records by reporter and result (sent, failed, dropped).',
    labelNames: ['reporter', 'result'],
    registers: [this.registry],
  });
  readonly #limiterDegraded = new Gauge({
    name: 'nachos_gateway_rate_limit_degraded',
    help: '1 while Redis is configured but unreachable and limits are decided without it.',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'nachos_gateway_' });
  }

  /** Everything one finished request tells: its count, duration, first token, tokens and failure kind. */
  observeRequest(record: UsageRecord): void {
    const model = this.#models.value(record.resolved_model ?? 'unresolved');
    const protocol = record.protocol;
    this.#requests.inc({ protocol, model, status: String(record.status), outcome: record.outcome });
    this.#duration.observe({ protocol, stream: String(record.is_stream) }, record.latency_ms / 1000);
    if (record.time_to_first_token_ms !== null) this.#firstToken.observe({ protocol, model }, record.time_to_first_token_ms / 1000);
    const tokens = { input: record.input_tokens, output: record.output_tokens, cached: record.cached_tokens, reasoning: record.reasoning_tokens };
    for (const [type, count] of Object.entries(tokens)) if (count > 0) this.#tokens.inc({ protocol, model, type }, count);
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
    this.#openStreams.inc({ protocol });
  }

  streamClosed(protocol: string): void {
    this.#openStreams.dec({ protocol });
  }

  usageReported(reporter: string, result: 'sent' | 'failed' | 'dropped', count: number): void {
    this.#usageReports.inc({ reporter, result }, count);
  }

  limiterDegraded(degraded: boolean): void {
    this.#limiterDegraded.set(degraded ? 1 : 0);
  }
}
