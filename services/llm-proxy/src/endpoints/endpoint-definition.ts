import type { ModelCapabilities, Secret } from '@nachos/plugin-sdk';

/** Where an endpoint was declared; shown in listings so an operator can tell them apart. */
export type EndpointSource = 'config' | 'env' | 'admin' | 'auto-discovery' | 'default';

/** One upstream endpoint: a plugin, a base URL and a key, before its provider is created. */
export interface EndpointDefinition {
  id: string;
  /** The plugin id that speaks this endpoint's wire format. */
  provider: string;
  baseUrl: string;
  apiKey?: Secret;
  /**
   * An explicit model list: the endpoint serves exactly these and nothing else. An entry with `*` is a
   * pattern: every name it matches is served, forwarded as written.
   */
  models?: string[];
  /** Further names the endpoint answers to → the model id sent upstream. */
  aliases?: Record<string, string>;
  weight: number;
  rateLimit?: { rpm?: number; tpm?: number };
  headers: Record<string, string>;
  options: Record<string, unknown>;
  source: EndpointSource;
  /** `[providers.<id>] forward_token`: a caller's own key may replace the endpoint's for this provider. */
  forwardToken?: boolean;
  /**
   * `[endpoints.<id>] capabilities`: what the endpoint's models can do, for each capability that neither
   * the catalogue nor the upstream's listing states for a model (models nachos does not know).
   */
  capabilities?: ModelCapabilities;
}
