import type { HistogramCounts, ObservedSeries } from './histogram-counts.js';
import type { CountedSeries, SeriesCounts } from './series-counts.js';

export type RequestLabel = 'protocol' | 'model' | 'status' | 'outcome';
export type TokenLabel = 'protocol' | 'model' | 'type';
export type TokenType = 'input' | 'output' | 'cached' | 'reasoning';

/**
 * The series of one (protocol, model) pair: its request counts by status and outcome, its token counts by
 * type and its time to first token. Each is made the first time it is counted, so a series appears in
 * `/metrics` exactly when it would have with prom-client's own counting.
 */
export class ModelSeries {
  readonly #protocol: string;
  readonly #model: string;
  readonly #requestCounts: SeriesCounts<RequestLabel>;
  readonly #tokenCounts: SeriesCounts<TokenLabel>;
  readonly #firstTokenCounts: HistogramCounts<'protocol' | 'model'>;
  readonly #requests = new Map<number, Map<string, CountedSeries<RequestLabel>>>();
  readonly #tokens = new Map<TokenType, CountedSeries<TokenLabel>>();
  #firstToken: ObservedSeries<'protocol' | 'model'> | undefined;

  constructor(
    protocol: string,
    model: string,
    counts: { requests: SeriesCounts<RequestLabel>; tokens: SeriesCounts<TokenLabel>; firstToken: HistogramCounts<'protocol' | 'model'> },
  ) {
    this.#protocol = protocol;
    this.#model = model;
    this.#requestCounts = counts.requests;
    this.#tokenCounts = counts.tokens;
    this.#firstTokenCounts = counts.firstToken;
  }

  get firstToken(): ObservedSeries<'protocol' | 'model'> {
    return (this.#firstToken ??= this.#firstTokenCounts.add({ protocol: this.#protocol, model: this.#model }));
  }

  request(status: number, outcome: string): CountedSeries<RequestLabel> {
    let byOutcome = this.#requests.get(status);
    if (!byOutcome) this.#requests.set(status, (byOutcome = new Map()));
    let series = byOutcome.get(outcome);
    if (!series) byOutcome.set(outcome, (series = this.#requestCounts.add({ protocol: this.#protocol, model: this.#model, status: String(status), outcome })));
    return series;
  }

  tokens(type: TokenType): CountedSeries<TokenLabel> {
    let series = this.#tokens.get(type);
    if (!series) this.#tokens.set(type, (series = this.#tokenCounts.add({ protocol: this.#protocol, model: this.#model, type })));
    return series;
  }
}
