import { ProviderError, type Secret } from '@nachos/plugin-sdk';
import type { ActiveEndpoint } from '../endpoints/active-endpoint.js';
import { matchesModelPattern } from '../routing/match-model-pattern.js';
import type { callContextOf } from './call-context.js';

type UnaryCaller = ReturnType<typeof callContextOf>;

/** A unary call (embed, count tokens) holds its caller to the models its gateway key may use. */
export function refuseUnlessAllowed(caller: UnaryCaller, model: string): void {
  if (caller.allowedModels && !caller.allowedModels.some((pattern) => matchesModelPattern(pattern, model))) {
    throw new ProviderError({ kind: 'permission', message: `This API key may not use the model '${model}'.` });
  }
}

/** The key a unary call sends: the caller's own only where the endpoint has `forward_token`, else the endpoint's first. */
export function unaryApiKey(caller: UnaryCaller, endpoint: ActiveEndpoint): Secret | undefined {
  return caller.providerKey && endpoint.definition.forwardToken ? caller.providerKey : endpoint.credentials[0]?.apiKey;
}
