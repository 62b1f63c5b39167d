import { Pool } from 'undici';
import { fetchUpstream, type FetchUpstreamOptions } from './fetch-upstream.js';
import { ProviderError } from './provider-error.js';
import { Secret } from './secret.js';
import { respondWithJson, respondWithStall, respondWithStream } from './testing/respond.js';
import { startFakeUpstream, type FakeUpstream } from './testing/start-fake-upstream.js';

async function failureOf(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  if (!ProviderError.isInstance(error)) {
    throw new Error(`expected a ProviderError, got ${String(error)}`);
  }
  return error;
}

async function readAll(body: AsyncIterable<Uint8Array>): Promise<string> {
  let text = '';
  for await (const chunk of body) {
    text += Buffer.from(chunk).toString('utf8');
  }
  return text;
}

describe('fetchUpstream', () => {
  let upstream: FakeUpstream | undefined;
  afterEach(async () => {
    await upstream?.close();
    upstream = undefined;
  });

  function options(overrides: Partial<FetchUpstreamOptions> = {}): FetchUpstreamOptions {
    return { signal: new AbortController().signal, providerId: 'test', ...overrides };
  }

  it('sends a JSON body with the key, request id and caller headers', async () => {
    upstream = await startFakeUpstream((_request, response) => respondWithJson(response, 200, { ok: true }));
    const result = await fetchUpstream(
      { url: `${upstream.url}/v1/chat/completions`, body: { model: 'm', n: 1 }, headers: { 'x-custom': 'yes' } },
      options({ requestId: 'req-123', auth: { header: 'authorization', prefix: 'Bearer ', secret: new Secret('sk-test-key') } }),
    );
    expect(await result.json()).toEqual({ ok: true });
    const [sent] = upstream.requests;
    expect(sent).toMatchObject({ method: 'POST', url: '/v1/chat/completions' });
    expect(sent?.json()).toEqual({ model: 'm', n: 1 });
    expect(sent?.headers).toMatchObject({
      authorization: 'Bearer sk-test-key',
      'x-request-id': 'req-123',
      'x-custom': 'yes',
      'content-type': 'application/json',
      accept: 'application/json',
    });
  });

  it('sends a long body whole, with its length rather than in chunks', async () => {
    upstream = await startFakeUpstream((_request, response) => respondWithJson(response, 200, { ok: true }));
    const prompt = 'é'.repeat(20_000);
    await (await fetchUpstream({ url: `${upstream.url}/v1/chat/completions`, body: { prompt } }, options())).json();
    const [sent] = upstream.requests;
    expect(sent?.json()).toEqual({ prompt });
    expect(sent?.headers['content-length']).toBe(String(Buffer.byteLength(JSON.stringify({ prompt }))));
    expect(sent?.headers['transfer-encoding']).toBeUndefined();
  });

  it('sends a GET without a body or content type', async () => {
    upstream = await startFakeUpstream((_request, response) => respondWithJson(response, 200, { data: [] }));
    await (await fetchUpstream({ url: `${upstream.url}/v1/models` }, options())).json();
    expect(upstream.requests[0]?.method).toBe('GET');
    expect(upstream.requests[0]?.headers['content-type']).toBeUndefined();
  });

  it('throws rate_limited with the Retry-After of a 429, and keeps the key out of the message', async () => {
    upstream = await startFakeUpstream((_request, response) =>
      respondWithJson(response, 429, { error: { message: 'Slow down, key sk-test-key-abcdefgh.', type: 'rate_limit_error' } }, { 'retry-after': '3' }),
    );
    const error = await failureOf(
      fetchUpstream({ url: upstream.url, body: {} }, options({ auth: { header: 'x-api-key', secret: new Secret('sk-test-key-abcdefgh') } })),
    );
    expect(error).toMatchObject({ kind: 'rate_limited', status: 429, retryAfterMs: 3_000, providerId: 'test' });
    expect(error.message).not.toContain('sk-test-key');
  });

  it('throws unavailable when nothing listens', async () => {
    const closed = await startFakeUpstream(() => undefined);
    await closed.close();
    const error = await failureOf(fetchUpstream({ url: closed.url, body: {} }, options()));
    expect(error.kind).toBe('unavailable');
    expect(error.message).toMatch(/ECONNREFUSED/);
  });

  it('marks a timeout local only when the call never reached a connection', async () => {
    upstream = await startFakeUpstream(() => undefined);
    const pool = new Pool(upstream.url, { connections: 1 });
    try {
      const sent = failureOf(fetchUpstream({ url: upstream.url, body: {} }, options({ dispatcher: pool, timeoutMs: 400 })));
      const queued = failureOf(fetchUpstream({ url: upstream.url, body: {} }, options({ dispatcher: pool, timeoutMs: 200 })));
      expect(await queued).toMatchObject({ kind: 'timeout', local: true });
      expect(await sent).toMatchObject({ kind: 'timeout', local: false });
    } finally {
      await pool.destroy();
    }
  });

  it('does not call a refused connection local: that is the provider side', async () => {
    const closed = await startFakeUpstream(() => undefined);
    await closed.close();
    expect(await failureOf(fetchUpstream({ url: closed.url, body: {} }, options()))).toMatchObject({ kind: 'unavailable', local: false });
  });

  it('throws cancelled without calling out when the caller already aborted', async () => {
    upstream = await startFakeUpstream((_request, response) => respondWithJson(response, 200, {}));
    const error = await failureOf(fetchUpstream({ url: upstream.url, body: {} }, options({ signal: AbortSignal.abort() })));
    expect(error.kind).toBe('cancelled');
    expect(upstream.requests).toHaveLength(0);
  });

  it('throws cancelled promptly when the caller aborts while the upstream has not answered', async () => {
    upstream = await startFakeUpstream(() => undefined);
    const controller = new AbortController();
    const pending = fetchUpstream({ url: upstream.url, body: {} }, options({ signal: controller.signal }));
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    expect((await failureOf(pending)).kind).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('throws timeout when its own timer fires first', async () => {
    upstream = await startFakeUpstream(() => undefined);
    const error = await failureOf(fetchUpstream({ url: upstream.url, body: {} }, options({ timeoutMs: 100 })));
    expect(error.kind).toBe('timeout');
  });

  it('ends a stalled body with cancelled when the caller aborts mid-stream', async () => {
    upstream = await startFakeUpstream((_request, response) => respondWithStall(response, 'data: {"a":1}\n\n'));
    const controller = new AbortController();
    const result = await fetchUpstream({ url: upstream.url, body: {}, accept: 'text/event-stream' }, options({ signal: controller.signal }));
    expect(upstream.requests[0]?.headers.accept).toBe('text/event-stream');
    const chunks: string[] = [];
    const reading = (async () => {
      for await (const chunk of result.body()) {
        chunks.push(Buffer.from(chunk).toString('utf8'));
        controller.abort();
      }
    })();
    const started = Date.now();
    expect((await failureOf(reading)).kind).toBe('cancelled');
    expect(chunks).toEqual(['data: {"a":1}\n\n']);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('ends a stalled body with timeout when the call outlives its budget', async () => {
    upstream = await startFakeUpstream((_request, response) => respondWithStall(response, 'data: {}\n\n'));
    const result = await fetchUpstream({ url: upstream.url, body: {} }, options({ timeoutMs: 150 }));
    expect((await failureOf(readAll(result.body()))).kind).toBe('timeout');
  });

  it('never follows a redirect: the caller gets an error and the other host gets nothing', async () => {
    const elsewhere = await startFakeUpstream((_request, response) => respondWithJson(response, 200, { reached: true }));
    try {
      upstream = await startFakeUpstream((_request, response) => {
        response.writeHead(307, { location: `${elsewhere.url}/v1/chat/completions` });
        response.end();
      });
      const error = await failureOf(
        fetchUpstream({ url: `${upstream.url}/v1/chat/completions`, body: {} }, options({ auth: { header: 'x-api-key', secret: new Secret('sk-redirected-key') } })),
      );
      expect(error).toMatchObject({ kind: 'unavailable', status: 307 });
      expect(error.message).toMatch(/redirect/);
      expect(elsewhere.requests).toHaveLength(0);
    } finally {
      await elsewhere.close();
    }
  });

  it('stops reading the socket while the consumer does not pull, and reads on when it does', async () => {
    const payload = 'x'.repeat(1024 * 1024);
    let written = 0;
    let finished = false;
    upstream = await startFakeUpstream(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      for (let offset = 0; offset < 16 * payload.length; offset += payload.length) {
        written += payload.length;
        if (!response.write(payload)) await new Promise((resolve) => response.once('drain', resolve));
      }
      response.end(() => (finished = true));
    });
    const result = await fetchUpstream({ url: upstream.url, body: {} }, options());
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Socket buffers hold some; the plugin layer holds at most a pause's worth. 16 MiB never all left.
    expect(finished).toBe(false);
    expect(written).toBeLessThan(16 * payload.length);
    let received = 0;
    for await (const chunk of result.body()) received += chunk.byteLength;
    expect(received).toBe(16 * payload.length);
  });

  it('reads a streamed body to the end', async () => {
    upstream = await startFakeUpstream((_request, response) => respondWithStream(response, 'data: 1\n\ndata: 2\n\n', { chunkSize: 3 }));
    const result = await fetchUpstream({ url: upstream.url, body: {} }, options({ timeoutMs: 5_000 }));
    expect(await readAll(result.body())).toBe('data: 1\n\ndata: 2\n\n');
  });

  it('answers its headers until the body is read, then lets go of them', async () => {
    upstream = await startFakeUpstream((_request, response) => respondWithStream(response, 'data: 1\n\n'));
    const result = await fetchUpstream({ url: upstream.url, body: {} }, options({ timeoutMs: 5_000 }));
    expect(result.headers.get('Content-Type')).toBe('text/event-stream; charset=utf-8');
    expect(await readAll(result.body())).toBe('data: 1\n\n');
    expect(result.headers.get('content-type')).toBeNull();
  });

  it('reads a header sent on several lines as one value, and an absent one as null', async () => {
    upstream = await startFakeUpstream((_request, response) => {
      response.setHeader('X-Upstream-Note', ['first', 'second']);
      respondWithJson(response, 200, { ok: true });
    });
    const result = await fetchUpstream({ url: upstream.url, body: {} }, options());
    expect(result.headers.get('x-upstream-note')).toBe('first, second');
    expect(result.headers.get('X-Upstream-Missing')).toBeNull();
    expect(await result.json()).toEqual({ ok: true });
  });

  it('throws internal for a 200 whose body is not JSON', async () => {
    upstream = await startFakeUpstream((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"truncated":');
    });
    const result = await fetchUpstream({ url: upstream.url, body: {} }, options());
    expect((await failureOf(result.json())).kind).toBe('internal');
  });
});
