import type * as grpc from '@grpc/grpc-js';
import type { RequestScope } from '../policy/request-scope.js';

/**
 * gRPC metadata keys with which the gateway tells llm-proxy about the caller a call serves. llm-proxy
 * applies them where it chooses routes: only candidates matching the allowed models (fallbacks included),
 * the caller's own provider key only for providers with `forward_token = true`, and the header rules on
 * the forwarded client headers.
 */
export const CALLER_METADATA_KEY = 'nachos-caller';
/** Comma-separated model patterns (`*` = any run of characters); absent means every model. */
export const ALLOWED_MODELS_METADATA_KEY = 'nachos-allowed-models';
/** The caller's own provider key (BYOK); never logged, never stored. */
export const PROVIDER_KEY_METADATA_KEY = 'nachos-provider-key';
/** UTF-8 JSON object of client header name → value (binary metadata, so any header value survives). */
export const CLIENT_HEADERS_METADATA_KEY = 'nachos-client-headers-bin';

/** Adds the caller's policy to a call's metadata. */
export function appendCallerMetadata(metadata: grpc.Metadata, scope: RequestScope): void {
  const { caller, forwardedHeaders } = scope;
  metadata.set(CALLER_METADATA_KEY, caller.keyName);
  if (caller.models !== undefined) metadata.set(ALLOWED_MODELS_METADATA_KEY, caller.models.join(','));
  if (caller.providerKey) metadata.set(PROVIDER_KEY_METADATA_KEY, caller.providerKey.reveal());
  if (Object.keys(forwardedHeaders).length > 0) metadata.set(CLIENT_HEADERS_METADATA_KEY, Buffer.from(JSON.stringify(forwardedHeaders), 'utf8'));
}
