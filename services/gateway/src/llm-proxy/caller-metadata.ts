import type * as grpc from '@grpc/grpc-js';
import { ALLOWED_MODELS_METADATA_KEY, CLIENT_HEADERS_METADATA_KEY, PROVIDER_KEY_METADATA_KEY } from '@nachos/proto';
import type { RequestScope } from '../policy/request-scope.js';

/**
 * Adds what llm-proxy must know about the caller to a call's metadata: the model patterns its key may use
 * (llm-proxy keeps every candidate, fallbacks included, within them), its own provider key (used only for
 * providers with `forward_token = true`, never logged) and the client headers the header rules may use.
 */
export function appendCallerMetadata(metadata: grpc.Metadata, scope: RequestScope): void {
  const { caller, forwardedHeaders } = scope;
  if (caller.models !== undefined) metadata.set(ALLOWED_MODELS_METADATA_KEY, caller.models.join(','));
  if (caller.providerKey) metadata.set(PROVIDER_KEY_METADATA_KEY, caller.providerKey.reveal());
  if (Object.keys(forwardedHeaders).length > 0) metadata.set(CLIENT_HEADERS_METADATA_KEY, asciiJson(forwardedHeaders));
}

/** Text metadata must be printable ASCII: JSON with every other character escaped as `\uXXXX`, which any JSON parser reads back. */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[^\x20-\x7e]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
