import { collectEvents, respondWithJson, respondWithStall, respondWithStream, type FakeUpstreamHandler } from '@nachos/plugin-sdk/testing';
import { ACCESS_KEY_ID, EVENTSTREAM, SECRET_ACCESS_KEY, SESSION_TOKEN, chatRequest, failureOf, signal, withProvider } from '../test/bedrock-test-provider.js';
import { concat, encodeEvent, encodeException } from '../test/converse-stream-frames.js';

describe('bedrock provider errors', () => {
  const cases: ReadonlyArray<readonly [number, string | undefined, string, string]> = [
    [400, 'ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock#ValidationException', 'Malformed input request', 'invalid_request'],
    [400, 'ValidationException', 'Input is too long for requested model.', 'context_length'],
    [400, 'ServiceQuotaExceededException', 'Your request exceeds the service quota for your account.', 'rate_limited'],
    [403, 'AccessDeniedException', 'You do not have access to the model with the specified model ID.', 'permission'],
    [403, 'UnrecognizedClientException', 'The security token included in the request is invalid.', 'authentication'],
    [403, 'ExpiredTokenException', 'The security token included in the request is expired', 'authentication'],
    [404, 'ResourceNotFoundException', 'Could not resolve the foundation model from the provided model identifier.', 'not_found'],
    [408, 'ModelTimeoutException', 'Model timed out.', 'timeout'],
    [424, 'ModelErrorException', 'The model failed to process the request.', 'unavailable'],
    [429, 'ThrottlingException', 'Too many requests, please wait before trying again.', 'rate_limited'],
    [500, 'InternalServerException', 'Internal server error', 'unavailable'],
    [503, 'ServiceUnavailableException', 'Bedrock is unable to process your request.', 'unavailable'],
    [403, undefined, 'Forbidden', 'permission'],
  ];
  it.each(cases)('maps HTTP %i %s ("%s") to %s', async (status, errorType, message, kind) => {
    const handler: FakeUpstreamHandler = (_request, response) =>
      respondWithJson(response, status, { message }, errorType === undefined ? {} : { 'x-amzn-errortype': errorType });
    await withProvider(handler, {}, async (provider) => {
      const error = await failureOf(collectEvents(provider.chat(chatRequest(), { signal: signal() })));
      expect(error.kind).toBe(kind);
      expect(error.status).toBe(status);
      expect(error.message).toBe(message);
      expect(error.providerId).toBe('bedrock');
    });
  });

  it('keeps Retry-After on a throttled call', async () => {
    const handler: FakeUpstreamHandler = (_request, response) =>
      respondWithJson(response, 429, { message: 'Rate exceeded' }, { 'x-amzn-errortype': 'ThrottlingException', 'retry-after': '3' });
    await withProvider(handler, {}, async (provider) => {
      expect((await failureOf(collectEvents(provider.chat(chatRequest(), { signal: signal() })))).retryAfterMs).toBe(3000);
    });
  });

  it('scrubs the credentials AWS quotes back from a rejected signature', async () => {
    const handler: FakeUpstreamHandler = (_request, response) =>
      respondWithJson(
        response,
        403,
        { message: `The request signature we calculated does not match. Credential=${ACCESS_KEY_ID}/20260101/eu-west-1/bedrock token ${SESSION_TOKEN}` },
        { 'x-amzn-errortype': 'InvalidSignatureException' },
      );
    const env = { AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY, AWS_SESSION_TOKEN: SESSION_TOKEN };
    await withProvider(handler, { env }, async (provider) => {
      const error = await failureOf(collectEvents(provider.chat(chatRequest(), { signal: signal() })));
      expect(error.kind).toBe('authentication');
      expect(error.message).toContain('does not match');
      expect(error.message).not.toContain(ACCESS_KEY_ID);
      expect(error.message).not.toContain(SESSION_TOKEN);
      expect(error.message).not.toContain(SECRET_ACCESS_KEY);
    });
  });

  it('throws an exception frame that arrives mid-stream by its name', async () => {
    const body = concat([
      encodeEvent('messageStart', { role: 'assistant' }),
      encodeEvent('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Half' } }),
      encodeException('throttlingException', 'Too many tokens, please wait before trying again.'),
    ]);
    await withProvider((_request, response) => respondWithStream(response, body, { contentType: EVENTSTREAM, chunkSize: 50 }), {}, async (provider) => {
      const error = await failureOf(collectEvents(provider.chat(chatRequest(), { signal: signal() })));
      expect(error.kind).toBe('rate_limited');
      expect(error.message).toBe('throttlingException: Too many tokens, please wait before trying again.');
    });
  });

  it('stops with cancelled within a second, closing the connection, when aborted during a stalled stream', async () => {
    let closed!: Promise<void>;
    const handler: FakeUpstreamHandler = (_request, response) => {
      closed = new Promise((resolve) => response.on('close', () => resolve()));
      respondWithStall(response, encodeEvent('messageStart', { role: 'assistant' }), EVENTSTREAM);
    };
    await withProvider(handler, {}, async (provider) => {
      const controller = new AbortController();
      let abortedAt = 0;
      const reading = (async () => {
        for await (const event of provider.chat(chatRequest(), { signal: controller.signal })) {
          if (event.type === 'start') {
            setTimeout(() => {
              abortedAt = Date.now();
              controller.abort();
            }, 20);
          }
        }
      })();
      const error = await failureOf(reading);
      expect(error.kind).toBe('cancelled');
      expect(abortedAt).toBeGreaterThan(0);
      expect(Date.now() - abortedAt).toBeLessThan(1000);
      await closed;
    });
  });
});
