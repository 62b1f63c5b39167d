import type { HistogramCounts, ObservedSeries } from './histogram-counts.js';
import { ModelSeries, type RequestLabel, type TokenLabel } from './model-series.js';
import type { CountedSeries, SeriesCounts } from './series-counts.js';

/** The metrics a client protocol's series are counted into. */
export interface RequestMetrics {
  requests: SeriesCounts<RequestLabel>;
  tokens: SeriesCounts<TokenLabel>;
  openStreams: SeriesCounts<'protocol'>;
  duration: HistogramCounts<'protocol' | 'stream'>;
  firstToken: HistogramCounts<'protocol' | 'model'>;
}

/** One client protocol's series: its request durations, its open streams and its models' series. */
export class ProtocolSeries {
  readonly #protocol: string;
  readonly #metrics: RequestMetrics;
  readonly #models = new Map<string, ModelSeries>();
  #openStreams: CountedSeries<'protocol'> | undefined;
  #streamDuration: ObservedSeries<'protocol' | 'stream'> | undefined;
  #wholeDuration: ObservedSeries<'protocol' | 'stream'> | undefined;

  constructor(protocol: string, metrics: RequestMetrics) {
    this.#protocol = protocol;
    this.#metrics = metrics;
  }

  /** The duration of a request, listed from its first observation as prom-client lists a series. */
  duration(isStream: boolean): ObservedSeries<'protocol' | 'stream'> {
    if (isStream) return (this.#streamDuration ??= this.#metrics.duration.add({ protocol: this.#protocol, stream: 'true' }));
    return (this.#wholeDuration ??= this.#metrics.duration.add({ protocol: this.#protocol, stream: 'false' }));
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
