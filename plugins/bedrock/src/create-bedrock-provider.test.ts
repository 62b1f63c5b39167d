import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hash } from '@smithy/core/serde';
import { SignatureV4 } from '@smithy/signature-v4';
import { ProviderError, Secret, type ChatRequest, type PluginLogger, type Provider } from '@nachos/plugin-sdk';
import {
  collectEvents,
  joinText,
  joinToolCalls,
  replayFixture,
  respondWithJson,
  respondWithStall,
  respondWithStream,
  startFakeUpstream,
  type FakeUpstream,
  type FakeUpstreamHandler,
  type RecordedRequest,
} from '@nachos/plugin-sdk/testing';
import { concat, encodeEvent, encodeException, readFixture } from '../test/converse-stream-frames.js';
import type { BedrockOptions } from './bedrock-options.js';
import { createBedrockProvider } from './create-bedrock-provider.js';
import type { Environment } from './read-secret-variable.js';

const ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const SESSION_TOKEN = 'FwoGZXIvYXdzEXAMPLEsessiontoken';
const API_KEY = 'ABSKQmVkcm9ja0FQSUtleS1leGFtcGxl';
const MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const EVENTSTREAM = 'application/vnd.amazon.eventstream';

const OPTIONS: BedrockOptions = {
  timeout_ms: 10_000,
  region: 'eu-west-1',
  auth: 'auto',
  secret_access_key_env: 'AWS_SECRET_ACCESS_KEY',
  session_token_env: 'AWS_SESSION_TOKEN',
};
const silent: PluginLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const signal = (): AbortSignal => new AbortController().signal;

const chatRequest = (overrides: Partial<ChatRequest> = {}): ChatRequest => ({
  model: MODEL,
  messages: [{ role: 'user', content: [{ type: 'text', text: 'What is cos(7)?' }] }],
  tools: [{ name: 'cosine', parameters: { type: 'object', properties: { x: { type: 'number' } } } }],
  sampling: { maxTokens: 200 },
  stream: true,
  ...overrides,
});

const capture = (): FakeUpstreamHandler =>
  replayFixture({ name: 'capture', body: readFixture('converse-stream-text-tooluse.eventstream'), contentType: EVENTSTREAM }, 37);

interface Setup {
  options?: Partial<BedrockOptions>;
  env?: Environment;
  apiKey?: string | undefined;
}

async function withProvider(handler: FakeUpstreamHandler, setup: Setup, body: (provider: Provider, upstream: FakeUpstream) => Promise<void>): Promise<void> {
  const upstream = await startFakeUpstream(handler);
  try {
    const apiKey = 'apiKey' in setup ? setup.apiKey : ACCESS_KEY_ID;
    const provider = createBedrockProvider(
      {
        endpoint: { id: 'bedrock-test', baseUrl: upstream.url, ...(apiKey === undefined ? {} : { apiKey: new Secret(apiKey) }) },
        options: { ...OPTIONS, ...setup.options },
        logger: silent,
        fetch: globalThis.fetch,
      },
      setup.env ?? { AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY },
    );
    await body(provider, upstream);
  } finally {
    await upstream.close();
  }
}

async function failureOf(pending: Promise<unknown>): Promise<ProviderError> {
  const error = await pending.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!ProviderError.isInstance(error)) {
    throw new Error(`expected a ProviderError, got ${String(error)}`);
  }
  return error;
}

const SIGV4_AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=(?<keyId>[A-Z0-9]+)\/(?<date>\d{8})\/(?<region>[a-z0-9-]+)\/bedrock\/aws4_request, SignedHeaders=(?<signed>[a-z0-9;-]+), Signature=(?<signature>[0-9a-f]{64})$/;

/**
 * Checks the signature of a request as the fake upstream received it: the headers it names as
 * signed, the path as it arrived and the body's bytes are signed again with the same secret and
 * timestamp, by the AWS signer; the generated headers (date, token, payload hash) are left for the
 * signer to derive, so a body changed after signing cannot pass.
 */
async function signatureMatches(recorded: RecordedRequest, credentials: { secretAccessKey: string; sessionToken?: string }): Promise<boolean> {
  const authorization = String(recorded.headers['authorization']);
  const parts = SIGV4_AUTHORIZATION.exec(authorization)?.groups;
  if (parts === undefined) {
    return false;
  }
  const generated = new Set(['authorization', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256']);
  const headers = Object.fromEntries(
    (parts['signed'] ?? '')
      .split(';')
      .filter((name) => !generated.has(name))
      .map((name) => [name, String(recorded.headers[name])]),
  );
  const amzDate = String(recorded.headers['x-amz-date']);
  const signingDate = new Date(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
  const signer = new SignatureV4({
    service: 'bedrock',
    region: parts['region'] ?? '',
    credentials: { accessKeyId: parts['keyId'] ?? '', ...credentials },
    sha256: Hash.bind(null, 'sha256'),
  });
  const host = String(recorded.headers['host']);
  const resigned = await signer.sign(
    {
      method: recorded.method,
      protocol: 'http:',
      hostname: host.split(':')[0] ?? host,
      path: recorded.url,
      query: {},
      headers,
      body: recorded.body,
    },
    { signingDate },
  );
  return resigned.headers['authorization'] === authorization;
}

describe('createBedrockProvider: ConverseStream with SigV4', () => {
  it('posts the Converse body to the percent-encoded model path, signed, and yields the capture as canonical events', async () => {
    await withProvider(capture(), {}, async (provider, upstream) => {
      const events = await collectEvents(provider.chat(chatRequest(), { signal: signal(), requestId: 'req-42' }));
      expect(joinText(events)).toMatch(/^To calculate the cosine of 7/);
      expect(joinToolCalls(events)).toEqual([{ index: 0, id: 'tooluse_QklrEHKjRu6Oc4BQUfy7ZQ', name: 'cosine', arguments: '{"x": 7}' }]);
      expect(events.at(-2)).toEqual({ type: 'finish', reason: 'tool_calls' });

      expect(upstream.requests).toHaveLength(1);
      const [sent] = upstream.requests as [RecordedRequest];
      expect(sent.method).toBe('POST');
      expect(sent.url).toBe('/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse-stream');
      expect(sent.headers['content-type']).toBe('application/json');
      expect(sent.headers['accept']).toBe(EVENTSTREAM);
      expect(sent.headers['x-request-id']).toBe('req-42');
      expect(sent.json()).toEqual({
        messages: [{ role: 'user', content: [{ text: 'What is cos(7)?' }] }],
        toolConfig: { tools: [{ toolSpec: { name: 'cosine', inputSchema: { json: { type: 'object', properties: { x: { type: 'number' } } } } } }] },
        inferenceConfig: { maxTokens: 200 },
      });

      const authorization = String(sent.headers['authorization']);
      const parts = SIGV4_AUTHORIZATION.exec(authorization)?.groups;
      expect(parts).toMatchObject({ keyId: ACCESS_KEY_ID, region: 'eu-west-1' });
      expect(parts?.['signed']?.split(';')).toEqual(expect.arrayContaining(['content-type', 'host', 'x-amz-date', 'x-request-id']));
      expect(sent.headers['x-amz-date']).toMatch(new RegExp(`^${parts?.['date'] ?? 'no date'}T\\d{6}Z$`));
      expect(sent.headers['x-amz-security-token']).toBeUndefined();
      expect(sent.headers['x-amz-content-sha256']).toBe(createHash('sha256').update(sent.body).digest('hex'));
      await expect(signatureMatches(sent, { secretAccessKey: SECRET_ACCESS_KEY })).resolves.toBe(true);
    });
  });

  it('fails the signature check when the body or the secret differs (the check can fail)', async () => {
    await withProvider(capture(), {}, async (provider, upstream) => {
      await collectEvents(provider.chat(chatRequest(), { signal: signal() }));
      const [sent] = upstream.requests as [RecordedRequest];
      await expect(signatureMatches({ ...sent, body: sent.body.replace('cos(7)', 'cos(8)') }, { secretAccessKey: SECRET_ACCESS_KEY })).resolves.toBe(false);
      await expect(signatureMatches(sent, { secretAccessKey: `${SECRET_ACCESS_KEY}x` })).resolves.toBe(false);
    });
  });

  it('sends and signs the session token of temporary credentials', async () => {
    const env = { AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY, AWS_SESSION_TOKEN: SESSION_TOKEN };
    await withProvider(capture(), { env, apiKey: 'ASIAIOSFODNN7EXAMPLE' }, async (provider, upstream) => {
      await collectEvents(provider.chat(chatRequest(), { signal: signal() }));
      const [sent] = upstream.requests as [RecordedRequest];
      expect(sent.headers['x-amz-security-token']).toBe(SESSION_TOKEN);
      expect(String(sent.headers['authorization'])).toContain('x-amz-security-token');
      await expect(signatureMatches(sent, { secretAccessKey: SECRET_ACCESS_KEY, sessionToken: SESSION_TOKEN })).resolves.toBe(true);
    });
  });

  it('reads the secret access key and session token from <NAME>_FILE, trailing newline trimmed', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'bedrock-secrets-'));
    writeFileSync(join(folder, 'secret'), `${SECRET_ACCESS_KEY}\n`);
    writeFileSync(join(folder, 'token'), `${SESSION_TOKEN}\n`);
    const env = { AWS_SECRET_ACCESS_KEY_FILE: join(folder, 'secret'), AWS_SESSION_TOKEN_FILE: join(folder, 'token') };
    await withProvider(capture(), { env }, async (provider, upstream) => {
      await collectEvents(provider.chat(chatRequest(), { signal: signal() }));
      const [sent] = upstream.requests as [RecordedRequest];
      expect(sent.headers['x-amz-security-token']).toBe(SESSION_TOKEN);
      await expect(signatureMatches(sent, { secretAccessKey: SECRET_ACCESS_KEY, sessionToken: SESSION_TOKEN })).resolves.toBe(true);
    });
  });

  it('reads the secret from the variable the endpoint options name', async () => {
    const env = { EU_AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY };
    await withProvider(capture(), { env, options: { secret_access_key_env: 'EU_AWS_SECRET_ACCESS_KEY' } }, async (provider, upstream) => {
      await collectEvents(provider.chat(chatRequest(), { signal: signal() }));
      await expect(signatureMatches(upstream.requests[0] as RecordedRequest, { secretAccessKey: SECRET_ACCESS_KEY })).resolves.toBe(true);
    });
  });

  it('refuses to start when a secret is set both inline and as a file, naming the variable only', () => {
    expect(() =>
      createBedrockProvider(
        { endpoint: { id: 'b', baseUrl: '', apiKey: new Secret(ACCESS_KEY_ID) }, options: OPTIONS, logger: silent, fetch: globalThis.fetch },
        { AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY, AWS_SECRET_ACCESS_KEY_FILE: '/run/secrets/aws' },
      ),
    ).toThrow('both AWS_SECRET_ACCESS_KEY and AWS_SECRET_ACCESS_KEY_FILE are set; set only one');
  });

  it('fails with authentication, calling nobody, when an access key id has no secret access key', async () => {
    await withProvider(capture(), { env: {} }, async (provider, upstream) => {
      const error = await failureOf(collectEvents(provider.chat(chatRequest(), { signal: signal() })));
      expect(error.kind).toBe('authentication');
      expect(error.message).toContain('set AWS_SECRET_ACCESS_KEY');
      expect(error.message).not.toContain(ACCESS_KEY_ID);
      expect(upstream.requests).toHaveLength(0);
    });
  });

  it('starts without a region, warning, and fails each call with unavailable naming AWS_REGION, calling nobody', async () => {
    const upstream = await startFakeUpstream(capture());
    try {
      const warnings: string[] = [];
      const provider = createBedrockProvider(
        {
          endpoint: { id: 'bedrock-test', baseUrl: upstream.url, apiKey: new Secret(ACCESS_KEY_ID) },
          options: { ...OPTIONS, region: '' },
          logger: { ...silent, warn: (message) => warnings.push(message) },
          fetch: globalThis.fetch,
        },
        { AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY },
      );
      expect(warnings).toEqual([expect.stringContaining('set AWS_REGION') as unknown]);
      const error = await failureOf(collectEvents(provider.chat(chatRequest(), { signal: signal() })));
      expect(error.kind).toBe('unavailable');
      expect(error.message).toContain('set AWS_REGION');
      expect(upstream.requests).toHaveLength(0);
    } finally {
      await upstream.close();
    }
  });

  it('fails with authentication when the endpoint has no key at all', async () => {
    await withProvider(capture(), { apiKey: undefined }, async (provider) => {
      expect((await failureOf(collectEvents(provider.chat(chatRequest(), { signal: signal() })))).kind).toBe('authentication');
    });
  });

  it('gives start the Bedrock request id', async () => {
    const handler: FakeUpstreamHandler = (_request, response) => {
      response.setHeader('x-amzn-requestid', '5d5e6f7a-1111-2222-3333-444455556666');
      return respondWithStream(response, readFixture('converse-stream-text-tooluse.eventstream'), { contentType: EVENTSTREAM });
    };
    await withProvider(handler, {}, async (provider) => {
      const events = await collectEvents(provider.chat(chatRequest(), { signal: signal() }));
      expect(events[0]).toEqual({ type: 'start', id: '5d5e6f7a-1111-2222-3333-444455556666', model: MODEL });
    });
  });
});

describe('createBedrockProvider: Bedrock API keys', () => {
  it('sends a key that is not an access key id as a bearer token, unsigned', async () => {
    await withProvider(capture(), { apiKey: API_KEY }, async (provider, upstream) => {
      await collectEvents(provider.chat(chatRequest(), { signal: signal() }));
      const [sent] = upstream.requests as [RecordedRequest];
      expect(sent.headers['authorization']).toBe(`Bearer ${API_KEY}`);
      expect(sent.headers['x-amz-date']).toBeUndefined();
    });
  });

  it('sends a caller key (BYOK) as a bearer token instead of the endpoint credentials', async () => {
    await withProvider(capture(), {}, async (provider, upstream) => {
      await collectEvents(provider.chat(chatRequest(), { signal: signal(), apiKey: new Secret('caller-bedrock-key-0001') }));
      expect(upstream.requests[0]?.headers['authorization']).toBe('Bearer caller-bedrock-key-0001');
    });
  });

  it('signs any key when auth is sigv4, and sends an access key id as a bearer token when auth is api-key', async () => {
    await withProvider(capture(), { apiKey: 'LOCALSTACKKEY', options: { auth: 'sigv4' } }, async (provider, upstream) => {
      await collectEvents(provider.chat(chatRequest(), { signal: signal() }));
      expect(String(upstream.requests[0]?.headers['authorization'])).toMatch(/^AWS4-HMAC-SHA256 Credential=LOCALSTACKKEY\//);
    });
    await withProvider(capture(), { options: { auth: 'api-key' } }, async (provider, upstream) => {
      await collectEvents(provider.chat(chatRequest(), { signal: signal() }));
      expect(upstream.requests[0]?.headers['authorization']).toBe(`Bearer ${ACCESS_KEY_ID}`);
    });
  });
});

describe('createBedrockProvider: Converse (not streamed)', () => {
  it('posts to /converse and yields the recorded response as events', async () => {
    const handler: FakeUpstreamHandler = (_request, response) =>
      respondWithJson(response, 200, JSON.parse(readFixture('converse-text.response.json').toString('utf8')));
    await withProvider(handler, {}, async (provider, upstream) => {
      const events = await collectEvents(provider.chat(chatRequest({ stream: false, tools: [] }), { signal: signal() }));
      expect(upstream.requests[0]?.url).toBe('/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse');
      expect(upstream.requests[0]?.headers['accept']).toBe('application/json');
      expect(joinText(events)).toMatch(/^Let me count the "r"s/);
      expect(events.slice(-2)).toEqual([
        { type: 'finish', reason: 'stop' },
        { type: 'usage', usage: { inputTokens: 22, outputTokens: 57 } },
      ]);
    });
  });
});

describe('createBedrockProvider: errors', () => {
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
