import { readFileSync } from 'node:fs';
import { createInBandProviderError } from './create-in-band-provider-error.js';
import { ProviderError } from './provider-error.js';
import { readUpstreamError } from './read-upstream-error.js';

const fixtures = new URL('../../../test/fixtures/protocols/', import.meta.url);

function recordedResponse(path: string, status: number, headers: Record<string, string> = {}): Response {
  return new Response(readFileSync(new URL(path, fixtures)), { status, headers: { 'content-type': 'application/json', ...headers } });
}

describe('readUpstreamError on recorded error bodies', () => {
  it('reads an OpenAI 404', async () => {
    const error = await readUpstreamError(recordedResponse('openai-chat/error-404-model-not-found.response.json', 404), {
      providerId: 'openai',
    });
    expect(ProviderError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      kind: 'not_found',
      status: 404,
      providerId: 'openai',
      message: 'The model `gpt-4.1-nano-wrong` does not exist or you do not have access to it.',
    });
  });

  it('reads an OpenAI 400 about an unsupported parameter as invalid_request', async () => {
    const error = await readUpstreamError(recordedResponse('openai-chat/error-400-max-tokens-unsupported.response.json', 400));
    expect(error.kind).toBe('invalid_request');
    expect(error.message).toContain("Use 'max_completion_tokens' instead");
  });

  it('reads an Anthropic 529 as unavailable', async () => {
    const error = await readUpstreamError(recordedResponse('anthropic-messages/error-529-overloaded.response.json', 529));
    expect(error).toMatchObject({ kind: 'unavailable', status: 529, message: 'Overloaded' });
  });

  it('reads Gemini errors, with the retry delay from the body', async () => {
    const notFound = await readUpstreamError(recordedResponse('gemini/error-404-model-not-found.response.json', 404));
    expect(notFound.kind).toBe('not_found');
    expect(notFound.message).toMatch(/^models\/custom-gemini-2.0-flash is not found/);
    const limited = await readUpstreamError(recordedResponse('gemini/error-429-resource-exhausted.response.json', 429));
    expect(limited).toMatchObject({ kind: 'rate_limited', retryAfterMs: 34_400, message: 'You exceeded your current quota, please check your plan.' });
  });

  it('reads an Ollama error body', async () => {
    const error = await readUpstreamError(recordedResponse('ollama/error.response.json', 500));
    expect(error).toMatchObject({ kind: 'unavailable', message: 'the model failed to generate a response' });
  });
});

describe('readUpstreamError', () => {
  it('takes Retry-After from the headers over the body', async () => {
    const error = await readUpstreamError(recordedResponse('gemini/error-429-resource-exhausted.response.json', 429, { 'retry-after': '7' }));
    expect(error.retryAfterMs).toBe(7_000);
  });

  it('refines a 400 with code context_length_exceeded', async () => {
    const body = { error: { message: 'Too long.', type: 'invalid_request_error', code: 'context_length_exceeded' } };
    const error = await readUpstreamError(new Response(JSON.stringify(body), { status: 400 }));
    expect(error.kind).toBe('context_length');
  });

  it('redacts keys the upstream quotes back, and the exact key it was given', async () => {
    const body = { error: { message: 'Incorrect API key provided: sk-canary-1234567890. Also my-raw-key-value.', code: 'invalid_api_key' } };
    const error = await readUpstreamError(new Response(JSON.stringify(body), { status: 401 }), { secretValues: ['my-raw-key-value'] });
    expect(error.kind).toBe('authentication');
    expect(error.message).not.toContain('sk-canary');
    expect(error.message).not.toContain('my-raw-key-value');
  });

  it('falls back to the status for HTML and empty bodies, and quotes short plain text', async () => {
    expect((await readUpstreamError(new Response('<html><body>Bad Gateway</body></html>', { status: 502 }))).message).toBe(
      'upstream answered HTTP 502',
    );
    expect((await readUpstreamError(new Response(null, { status: 503 }))).message).toBe('upstream answered HTTP 503');
    expect((await readUpstreamError(new Response('model is loading', { status: 503 }))).message).toBe(
      'upstream answered HTTP 503: model is loading',
    );
  });

  it('reads no more than 64 KiB of an endless error body', async () => {
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new TextEncoder().encode('x'.repeat(16 * 1024)));
      },
    });
    const error = await readUpstreamError(new Response(endless, { status: 500 }));
    expect(error.kind).toBe('unavailable');
    expect(pulled).toBeLessThan(10);
  });
});

describe('createInBandProviderError', () => {
  it('maps an Anthropic error event by its type', () => {
    const error = createInBandProviderError({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    expect(error).toMatchObject({ kind: 'unavailable', message: 'Overloaded', status: undefined });
  });

  it('maps OpenAI in-stream errors by code, then type', () => {
    expect(createInBandProviderError({ error: { message: 'quota', type: 'insufficient_quota', code: 'insufficient_quota' } }).kind).toBe(
      'rate_limited',
    );
    expect(createInBandProviderError({ error: { message: 'x', type: 'invalid_request_error', code: 'context_length_exceeded' } }).kind).toBe(
      'context_length',
    );
  });

  it('uses a numeric code as a status, and calls an unclassified error unavailable', () => {
    expect(createInBandProviderError({ error: { code: 429, message: 'slow down' } }).kind).toBe('rate_limited');
    expect(createInBandProviderError({ error: 'an error was encountered while running the model' })).toMatchObject({
      kind: 'unavailable',
      message: 'an error was encountered while running the model',
    });
  });
});
