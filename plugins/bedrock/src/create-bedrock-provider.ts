import {
  cancellationOf,
  encodePathSegment,
  fetchUpstream,
  isRecord,
  joinUrl,
  mergeHeaders,
  ProviderError,
  type CallOptions,
  type ChatRequest,
  type Provider,
  type ProviderContext,
  type SignableRequest,
  type StreamEvent,
  type UpstreamResponse,
} from '@nachos/plugin-sdk';
import type { BedrockConverseBody, BedrockCountTokensBody } from './bedrock-api-types.js';
import type { BedrockOptions } from './bedrock-options.js';
import { BEDROCK_PLUGIN_ID } from './bedrock-plugin-id.js';
import { convertBedrockResponse, convertBedrockStream } from './bedrock-stream-to-events.js';
import { convertToBedrockRequest } from './convert-to-bedrock-request.js';
import { createSigV4Signer } from './create-sigv4-signer.js';
import { refineBedrockError } from './map-bedrock-error.js';
import { readSecretVariable, type Environment } from './read-secret-variable.js';
import { resolveBedrockAuth, type BedrockCallAuth, type SigningSecrets } from './resolve-bedrock-auth.js';
import { resolveBedrockLocation } from './resolve-bedrock-location.js';

const EVENTSTREAM = 'application/vnd.amazon.eventstream';
const NO_REGION = 'set AWS_REGION (or the endpoint option "region")';

/**
 * One Bedrock Runtime endpoint: chat over Converse, streamed through ConverseStream (binary
 * eventstream) or answered whole when the client did not ask for a stream; token counts from CountTokens. Calls are signed with
 * SigV4, or carry a Bedrock API key as a bearer token (see `resolveBedrockAuth`).
 *
 * The region, the secret access key and the session token are read when the provider starts, from
 * the variables the endpoint's options name (each also as `<NAME>_FILE`); a secret set both ways, or
 * named by an unreadable file, fails the start, naming the variable. A missing region does not: AWS
 * keys in the environment turn this provider on even where they were meant for something else, so
 * the start only warns, and each call fails with `unavailable`, naming what to set, which lets the
 * router try another endpoint.
 *
 * Every failure is a `ProviderError`: HTTP errors through the SDK's status table sharpened by
 * Bedrock's `x-amzn-errortype`, in-stream exception frames by their exception name.
 */
export function createBedrockProvider(context: ProviderContext<BedrockOptions>, env: Environment = process.env): Provider {
  const { endpoint, options, logger } = context;
  const location = resolveBedrockLocation(endpoint.baseUrl, options.region, env);
  if (location === undefined) {
    logger.warn(`endpoint ${endpoint.id} has no AWS region and will fail every call: ${NO_REGION}`, { endpoint: endpoint.id });
  }
  const secretAccessKey = readSecretVariable(env, options.secret_access_key_env);
  const sessionToken = readSecretVariable(env, options.session_token_env);
  const signing: SigningSecrets = {
    secretVariable: options.secret_access_key_env,
    ...(secretAccessKey === undefined ? {} : { secretAccessKey }),
    ...(sessionToken === undefined ? {} : { sessionToken }),
  };
  let endpointSigner: ((request: SignableRequest) => Promise<Record<string, string>>) | undefined;

  const signerFor = (auth: BedrockCallAuth, region: string): typeof endpointSigner => {
    if (auth.scheme === 'api-key') {
      return undefined;
    }
    // Only the endpoint's own key signs (a caller's key is always an API key), so one signer serves.
    endpointSigner ??= createSigV4Signer(region, auth);
    return endpointSigner;
  };

  const call = async (
    model: string,
    operation: 'converse' | 'converse-stream' | 'count-tokens',
    body: BedrockConverseBody | BedrockCountTokensBody,
    callOptions: CallOptions,
  ): Promise<UpstreamResponse> => {
    if (location === undefined) {
      throw new ProviderError({ kind: 'unavailable', message: `endpoint ${endpoint.id} has no AWS region: ${NO_REGION}`, providerId: BEDROCK_PLUGIN_ID });
    }
    const auth = resolveBedrockAuth(options.auth, { callKey: callOptions.apiKey, endpointKey: endpoint.apiKey }, signing, endpoint.id);
    const sign = signerFor(auth, location.region);
    let errorType: string | null = null;
    try {
      return await fetchUpstream(
        {
          url: joinUrl(location.runtimeUrl, `model/${encodePathSegment(model, 'model id', BEDROCK_PLUGIN_ID)}/${operation}`),
          body,
          headers: mergeHeaders(endpoint.headers, callOptions.headers),
          accept: operation === 'converse-stream' ? EVENTSTREAM : 'application/json',
        },
        {
          dispatcher: context.dispatcher,
          sign,
          onResponse: (status, headers) => {
            if (status >= 400) errorType = headers.get('x-amzn-errortype');
          },
          signal: cancellationOf(callOptions),
          progress: callOptions.onUpstreamProgress,
          timeoutMs: options.timeout_ms,
          ...(callOptions.requestId === undefined ? {} : { requestId: callOptions.requestId }),
          ...(auth.scheme === 'api-key' ? { auth: { header: 'authorization', prefix: 'Bearer ', secret: auth.apiKey } } : {}),
          providerId: BEDROCK_PLUGIN_ID,
        },
      );
    } catch (error) {
      if (ProviderError.isInstance(error) && error.status !== undefined) {
        throw refineBedrockError(error, errorType, credentialValues(auth));
      }
      throw error;
    }
  };

  return {
    async *chat(request: ChatRequest, callOptions: CallOptions): AsyncGenerator<StreamEvent> {
      const body = convertToBedrockRequest(request);
      logger.debug('chat request upstream', { endpoint: endpoint.id, model: request.model, stream: request.stream });
      const upstream = await call(request.model, request.stream ? 'converse-stream' : 'converse', body, callOptions);
      const requestId = upstream.headers.get('x-amzn-requestid');
      const conversion = { requestModel: request.model, ...(requestId === null || requestId === '' ? {} : { requestId }) };
      if (!request.stream) {
        yield* convertBedrockResponse(await upstream.json(), conversion);
        return;
      }
      yield* convertBedrockStream(upstream.body(), conversion);
    },

    async countTokens(request: ChatRequest, callOptions: CallOptions): Promise<number> {
      const { messages, system } = convertToBedrockRequest(request);
      const upstream = await call(request.model, 'count-tokens', { input: { converse: { messages, ...(system === undefined ? {} : { system }) } } }, callOptions);
      const response = await upstream.json();
      const count = isRecord(response) ? response['inputTokens'] : undefined;
      if (typeof count !== 'number') {
        throw new ProviderError({ kind: 'internal', message: 'upstream token count has no inputTokens', providerId: BEDROCK_PLUGIN_ID });
      }
      return count;
    },
  };
}

/** Values to scrub from upstream error messages: AWS quotes the access key id of a rejected signature. */
function credentialValues(auth: BedrockCallAuth): string[] {
  if (auth.scheme === 'api-key') {
    return [auth.apiKey.reveal()];
  }
  return [auth.accessKeyId.reveal(), ...(auth.sessionToken === undefined ? [] : [auth.sessionToken.reveal()])];
}
