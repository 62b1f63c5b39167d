/**
 * gRPC metadata keys shared by the gateway and llm-proxy. grpc-js lowercases keys, so they are lowercase
 * here too; a key ending in `-bin` would be binary, so none of these do.
 */

/** The request id the gateway assigns (or takes from the client) and llm-proxy logs and sends upstream. */
export const REQUEST_ID_METADATA_KEY = 'x-request-id';

/** The `ErrorKind` of a failed call, in the status trailers; the gRPC code alone cannot tell every kind apart. */
export const ERROR_KIND_METADATA_KEY = 'nachos-error-kind';

/** How long, in milliseconds, the upstream asked callers to wait before retrying, in the status trailers. */
export const RETRY_AFTER_METADATA_KEY = 'retry-after-ms';

/** A caller's own provider key (BYOK); llm-proxy sends it only to providers with `forward_token = true`. */
export const PROVIDER_KEY_METADATA_KEY = 'nachos-provider-key';

/** The model patterns the caller's gateway key may use (comma list, `*` wildcards); absent means any. */
export const ALLOWED_MODELS_METADATA_KEY = 'nachos-allowed-models';

/** Client headers the header rules name, as a JSON object, for llm-proxy to apply per provider and model. */
export const CLIENT_HEADERS_METADATA_KEY = 'nachos-client-headers';

/**
 * Sent by a gateway that reads combined `MuxResponse` messages (field `combined`) when it opens a `Mux`
 * stream; llm-proxy combines a turn's frames only on streams that carry it, so an older gateway keeps
 * getting one frame per message.
 */
export const MUX_COMBINED_METADATA_KEY = 'nachos-mux-combined';

/**
 * Sent by an llm-proxy that reads combined `MuxRequest` messages (field `combined`), in the response
 * headers it answers a `Mux` stream with; the gateway combines a turn's frames only on streams that carry
 * it, so an older llm-proxy keeps getting one frame per message.
 */
export const MUX_COMBINED_REQUESTS_METADATA_KEY = 'nachos-mux-combined-requests';
