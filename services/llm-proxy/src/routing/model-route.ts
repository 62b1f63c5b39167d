import type { ModelInfo } from '@nachos/plugin-sdk';
import type { ActiveEndpoint } from '../endpoints/active-endpoint.js';

/** One way to serve a requested model: an endpoint and the id to send it. */
export interface ModelRoute {
  endpoint: ActiveEndpoint;
  upstreamModel: string;
  info: ModelInfo | undefined;
  /** The name this route was found under: the requested model, or the fallback entry that led here. */
  via?: string;
}
