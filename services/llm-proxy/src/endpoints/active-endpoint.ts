import type { ModelInfo, Provider, ProviderPlugin } from '@nachos/plugin-sdk';
import type { Dispatcher } from 'undici';
import type { Credential } from '../routing/credential.js';
import type { EndpointDefinition } from './endpoint-definition.js';

/** An endpoint whose provider has been created and is ready to serve. */
export interface ActiveEndpoint {
  definition: EndpointDefinition;
  plugin: ProviderPlugin;
  provider: Provider;
  /** The keys this endpoint rotates through, in order. */
  credentials: Credential[];
  /** What the endpoint serves: its explicit list, or the catalogue merged with what the upstream lists. */
  models: ModelInfo[];
  /** The keep-alive pools its provider calls through, whose counts the admin listing shows. */
  dispatcher: Dispatcher;
  /** Name patterns (`*`) the endpoint serves beyond its models, forwarded as written. */
  modelPatterns?: string[];
}
