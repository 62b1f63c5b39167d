import { ProviderError, type Secret } from '@nachos/plugin-sdk';
import type { BedrockAuthScheme } from './bedrock-options.js';
import { BEDROCK_PLUGIN_ID } from './bedrock-plugin-id.js';

/** The SigV4 half of an endpoint's credentials, read from the environment when the provider starts. */
export interface SigningSecrets {
  secretAccessKey?: Secret;
  sessionToken?: Secret;
  /** The variable the secret access key is read from, named when it is missing. */
  secretVariable: string;
}

/** How one call authenticates. */
export type BedrockCallAuth =
  | { scheme: 'sigv4'; accessKeyId: Secret; secretAccessKey: Secret; sessionToken?: Secret }
  | { scheme: 'api-key'; apiKey: Secret };

/**
 * Decides how a call authenticates. The key llm-proxy hands the endpoint comes from
 * `AWS_BEARER_TOKEN_BEDROCK` (a Bedrock API key) or `AWS_ACCESS_KEY_ID`; with `auth = "auto"` its shape
 * tells which: access key ids are `AKIA…` (long-term) or `ASIA…` (temporary) and sign with SigV4,
 * anything else is sent as a Bedrock API key. A caller's own key (BYOK) is always an API key, since
 * one header cannot carry a key pair.
 *
 * Fails with `authentication`, naming the variable to set, when the endpoint has no key or SigV4 has
 * no secret access key; never with a key in the message.
 */
export function resolveBedrockAuth(
  scheme: BedrockAuthScheme,
  keys: { callKey?: Secret | undefined; endpointKey?: Secret | undefined },
  signing: SigningSecrets,
  endpointId: string,
): BedrockCallAuth {
  if (keys.callKey !== undefined) {
    return { scheme: 'api-key', apiKey: keys.callKey };
  }
  const key = keys.endpointKey;
  if (key === undefined) {
    throw unauthenticated(`endpoint ${endpointId} has no AWS credentials (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_BEARER_TOKEN_BEDROCK)`);
  }
  const signs = scheme === 'sigv4' || (scheme === 'auto' && ACCESS_KEY_ID.test(key.reveal()));
  if (!signs) {
    return { scheme: 'api-key', apiKey: key };
  }
  if (signing.secretAccessKey === undefined) {
    throw unauthenticated(`endpoint ${endpointId} has an access key id but no secret access key (set ${signing.secretVariable})`);
  }
  return {
    scheme: 'sigv4',
    accessKeyId: key,
    secretAccessKey: signing.secretAccessKey,
    ...(signing.sessionToken === undefined ? {} : { sessionToken: signing.sessionToken }),
  };
}

/** AWS access key ids: a four-letter kind prefix, then upper-case letters and digits (20 characters today). */
const ACCESS_KEY_ID = /^(?:AKIA|ASIA)[A-Z0-9]{12,124}$/;

function unauthenticated(message: string): ProviderError {
  return new ProviderError({ kind: 'authentication', message, providerId: BEDROCK_PLUGIN_ID });
}
