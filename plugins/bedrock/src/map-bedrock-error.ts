import { isContextLengthMessage, mapUpstreamErrorType, ProviderError, redactSecrets, type ErrorKind } from '@nachos/plugin-sdk';
import { BEDROCK_PLUGIN_ID } from './bedrock-plugin-id.js';

/**
 * The kind of an AWS error by its name, as Bedrock gives it in the `x-amzn-errortype` header
 * (`ValidationException:http://internal.amazon.com/coral/…`) or an in-stream `:exception-type`
 * (`throttlingException`). Names the SDK's shared table does not know are the AWS-wide credential
 * failures, which AWS answers with 403 but which mean a wrong or expired key rather than a missing
 * permission, and Bedrock's model failures.
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/CommonErrors.html
 */
export function mapBedrockErrorType(name: string | null | undefined): ErrorKind | undefined {
  const bare = name?.split(':')[0]?.trim().toLowerCase();
  if (bare === undefined || bare === '') {
    return undefined;
  }
  return BEDROCK_ERROR_TYPES.get(bare) ?? mapUpstreamErrorType(bare);
}

const BEDROCK_ERROR_TYPES: ReadonlyMap<string, ErrorKind> = new Map([
  ['unrecognizedclientexception', 'authentication'],
  ['invalidsignatureexception', 'authentication'],
  ['incompletesignatureexception', 'authentication'],
  ['missingauthenticationtokenexception', 'authentication'],
  ['expiredtokenexception', 'authentication'],
  ['invalidclienttokenid', 'authentication'],
  ['signaturedoesnotmatch', 'authentication'],
  ['modelerrorexception', 'unavailable'],
  ['modelnotreadyexception', 'unavailable'],
  ['servicequotaexceededexception', 'rate_limited'],
]);

/**
 * Whether a Bedrock message says the prompt did not fit: the SDK's shared wording, plus what Bedrock
 * itself says ("Input is too long for requested model", Nova's "Input Tokens Exceeded").
 */
export function isBedrockContextLengthMessage(message: string): boolean {
  return isContextLengthMessage(message) || BEDROCK_CONTEXT_LENGTH.test(message);
}

const BEDROCK_CONTEXT_LENGTH = /input is too long|too many input tokens|input tokens exceeded/i;

/**
 * Sharpens an HTTP error from `fetchUpstream` with what only Bedrock says: the error name decides the
 * kind where it is known (a 403 `UnrecognizedClientException` is a bad key, not a missing
 * permission), a validation error about the prompt's size becomes `context_length`, and the signing
 * credentials are scrubbed from the message, since AWS quotes the access key id of a rejected
 * signature (the original error, which still quotes it, is not kept as the cause).
 */
export function refineBedrockError(error: ProviderError, errorType: string | null, secretValues: readonly string[]): ProviderError {
  const named = mapBedrockErrorType(errorType);
  const kind = contextAware(named ?? error.kind, error.message);
  return new ProviderError({
    kind,
    message: redactSecrets(error.message, secretValues),
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
    providerId: BEDROCK_PLUGIN_ID,
  });
}

/**
 * An error Bedrock reported inside a 200 stream: a frame with `:message-type: exception` (modelled
 * errors, named by `:exception-type`) or `error` (unmodelled, named by `:error-code`). A name this
 * plugin does not know counts as `unavailable`: the answer broke off on Bedrock's side.
 */
export function createBedrockStreamError(name: string | undefined, message: string | undefined): ProviderError {
  const text = message ?? `upstream reported ${name ?? 'an error'} in the stream`;
  return new ProviderError({
    kind: contextAware(mapBedrockErrorType(name) ?? 'unavailable', text),
    message: redactSecrets(name === undefined ? text : `${name}: ${text}`),
    providerId: BEDROCK_PLUGIN_ID,
  });
}

function contextAware(kind: ErrorKind, message: string): ErrorKind {
  return kind === 'invalid_request' && isBedrockContextLengthMessage(message) ? 'context_length' : kind;
}
