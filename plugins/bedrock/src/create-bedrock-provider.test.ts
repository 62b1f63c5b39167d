import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Secret } from '@nachos/plugin-sdk';
import { collectEvents, joinText, joinToolCalls, respondWithJson, respondWithStream, startFakeUpstream, type FakeUpstreamHandler, type RecordedRequest } from '@nachos/plugin-sdk/testing';
import {
  ACCESS_KEY_ID,
  API_KEY,
  EVENTSTREAM,
  MODEL,
  OPTIONS,
  SECRET_ACCESS_KEY,
  SESSION_TOKEN,
  capture,
  chatRequest,
  failureOf,
  signal,
  silent,
  withProvider,
} from '../test/bedrock-test-provider.js';
import { readFixture } from '../test/converse-stream-frames.js';
import { SIGV4_AUTHORIZATION, signatureMatches } from '../test/verify-sigv4-signature.js';
import { createBedrockProvider } from './create-bedrock-provider.js';

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

describe('createBedrockProvider: CountTokens', () => {
  it('posts the Converse messages and system to /count-tokens, signed, and returns inputTokens', async () => {
    const handler: FakeUpstreamHandler = (_request, response) => respondWithJson(response, 200, { inputTokens: 37 });
    await withProvider(handler, {}, async (provider, upstream) => {
      const count = await provider.countTokens?.(
        chatRequest({ messages: [{ role: 'system', content: [{ type: 'text', text: 'Be brief.' }] }, ...chatRequest().messages], tools: [] }),
        { signal: signal() },
      );
      expect(count).toBe(37);
      const [sent] = upstream.requests as [RecordedRequest];
      expect(sent.url).toBe('/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/count-tokens');
      expect(sent.json()).toEqual({
        input: { converse: { messages: [{ role: 'user', content: [{ text: 'What is cos(7)?' }] }], system: [{ text: 'Be brief.' }] } },
      });
      await expect(signatureMatches(sent, { secretAccessKey: SECRET_ACCESS_KEY })).resolves.toBe(true);
    });
  });

  it('fails with internal when the answer has no count', async () => {
    const handler: FakeUpstreamHandler = (_request, response) => respondWithJson(response, 200, {});
    await withProvider(handler, {}, async (provider) => {
      await expect(provider.countTokens?.(chatRequest(), { signal: signal() })).rejects.toMatchObject({ kind: 'internal' });
    });
  });
});
