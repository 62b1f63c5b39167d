import type { Response } from 'express';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import type { MeterHooks } from '../usage/usage-meter.js';

/** A request's stream in the open-streams gauge, under the protocol marked when it opened (the admitted one otherwise). */
export class OpenStreamGauge implements MeterHooks {
  readonly #response: Response;
  readonly #metrics: GatewayMetrics;
  readonly #admitted: string;
  #opened: string;

  constructor(response: Response, metrics: GatewayMetrics, protocol: string) {
    this.#response = response;
    this.#metrics = metrics;
    this.#admitted = protocol;
    this.#opened = protocol;
  }

  streamOpened(): void {
    this.#opened = (this.#response.locals.protocol as string | undefined) ?? this.#admitted;
    this.#metrics.streamOpened(this.#opened);
  }

  streamClosed(): void {
    this.#metrics.streamClosed(this.#opened);
  }
}
