import type { Histogram } from 'prom-client';
import { ModelSeries, type RequestLabel, type TokenLabel } from './model-series.js';
import type { CountedSeries, SeriesCounts } from './series-counts.js';

/** The metrics a client protocol's series are counted into. */
export interface RequestMetrics {
  requests: SeriesCounts<RequestLabel>;
  tokens: SeriesCounts<TokenLabel>;
  openStreams: SeriesCounts<'protocol'>;
  duration: Histogram<'protocol' | 'stream'>;
  firstToken: Histogram<'protocol' | 'model'>;
}

/** One client protocol's series: its request durations, its open streams and its models' series. */
export class ProtocolSeries {
  readonly streamDuration: Histogram.Internal<'protocol' | 'stream'>;
  readonly wholeDuration: Histogram.Internal<'protocol' | 'stream'>;
  readonly #protocol: string;
  readonly #metrics: RequestMetrics;
  readonly #models = new Map<string, ModelSeries>();
  #openStreams: CountedSeries<'protocol'> | undefined;

  constructor(protocol: string, metrics: RequestMetrics) {
    this.#protocol = protocol;
    this.#metrics = metrics;
    this.streamDuration = metrics.duration.labels({ protocol, stream: 'true' });
    this.wholeDuration = metrics.duration.labels({ protocol, stream: 'false' });
  }

  model(model: string): ModelSeries {
    let series = this.#models.get(model);
    if (!series) this.#models.set(model, (series = new ModelSeries(this.#protocol, model, this.#metrics)));
    return series;
  }

  get openStreams(): CountedSeries<'protocol'> {
    return (this.#openStreams ??= this.#metrics.openStreams.add({ protocol: this.#protocol }));
  }
}
