import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import type { ChatRequest } from '../chat-request.js';
import { isErrorKind, type ErrorKind } from '../error-kind.js';
import { ProviderError } from '../provider-error.js';
import { isProviderPlugin, type PluginLogger, type Provider, type ProviderPlugin } from '../provider-plugin.js';
import { Secret } from '../secret.js';
import { assertEventGrammar } from './assert-event-grammar.js';
import { collectEvents } from './collect-events.js';
import { firstFrameOf, type RecordedFixture, replayFixture } from './replay-fixture.js';
import { respondWithJson, respondWithStall, respondWithStream } from './respond.js';
import { type FakeUpstream, type FakeUpstreamHandler, startFakeUpstream } from './start-fake-upstream.js';

/** The test functions the kit registers its cases with: jest's and vitest's globals by default. */
export interface TestApi {
  describe(name: string, body: () => void): void;
  it(name: string, body: () => Promise<void> | void): void;
}

export interface ProviderContractSettings<Options> {
  /** Endpoint options, as the loader would pass them after validation. */
  options: Options;
  /** A request the provider can answer (its model, a user message). */
  request: ChatRequest;
  /** Checks that need a network upstream; leave out for offline providers such as the mock. */
  upstream?: {
    /** Appended to the fake server's URL to form the endpoint's base URL (`/v1`). */
    basePath?: string;
    /** Recorded successful answers; each is replayed and its events checked against the grammar. */
    fixtures: readonly RecordedFixture[];
    /** The provider's error body for a status (default: OpenAI's `{error:{message,type}}`). */
    errorBody?: (status: number, message: string) => unknown;
    /** A 200 body that is not valid in the provider's framing (default: an SSE event with broken JSON). */
    malformed?: RecordedFixture;
  };
  /** Offline providers: options that make a stream slow enough to abort in the middle. */
  slowOptions?: Options;
  testApi?: TestApi;
}

const API_KEY = 'sk-contract-canary-0123456789';
/** How long any one call may take to succeed or fail before the check gives up on it. */
const SETTLE_SECONDS = 3;
const silentLogger: PluginLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Registers the tests every provider plugin must pass, built-in or third-party: a well-formed
 * declaration; event streams that follow the canonical grammar (on recorded fixtures, replayed by a
 * real HTTP server); prompt cancellation, also of a stalled upstream whose connection must close;
 * and the right `ProviderError` kinds for 401, 403, 404, 408, 429 (with Retry-After), 500, a refused
 * connection and a malformed body, with the key never echoed in a message.
 */
export function describeProviderContract<Options>(plugin: ProviderPlugin<Options>, settings: ProviderContractSettings<Options>): void {
  const { describe, it } = settings.testApi ?? (globalThis as unknown as TestApi);
  const signal = (): AbortSignal => new AbortController().signal;
  const provide = async (baseUrl: string, options: Options = settings.options): Promise<Provider> =>
    plugin.createProvider({
      endpoint: { id: `${plugin.id}-contract`, baseUrl, apiKey: new Secret(API_KEY) },
      options,
      logger: silentLogger,
      fetch: globalThis.fetch,
    });

  describe(`provider contract: ${plugin.id}`, () => {
    it('declares a well-formed plugin', () => {
      assert.ok(isProviderPlugin(plugin), 'the default export must come from defineProviderPlugin');
      assert.match(plugin.id, /^[a-z][a-z0-9-]*$/);
      assert.ok(plugin.catalogue.length > 0, 'the catalogue lists at least one model');
      for (const model of plugin.catalogue) {
        assert.ok(typeof model.id === 'string' && model.id !== '', 'every catalogue entry has an id');
      }
      for (const [key, entry] of Object.entries(plugin.configSchema)) {
        assert.ok(typeof entry === 'object' && entry !== null && 'default' in entry, `option ${key} has a default`);
      }
    });

    it('fails with cancelled, calling nobody, when the signal is already aborted', async () => {
      await withUpstream(() => undefined, async (upstream, baseUrl) => {
        const provider = await provide(baseUrl);
        const error = await failureOf(collectEvents(provider.chat(settings.request, { signal: AbortSignal.abort() })));
        assert.equal(error.kind, 'cancelled');
        assert.equal(upstream.requests.length, 0, 'no upstream request after an abort');
      });
    });

    if (settings.upstream === undefined) {
      it('answers in the stream grammar', async () => {
        const provider = await provide('');
        assertEventGrammar(await collectEvents(provider.chat(settings.request, { signal: signal() })));
      });
      it('stops promptly with cancelled when aborted mid-stream', async () => {
        const provider = await provide('', settings.slowOptions);
        await expectPromptCancellation(provider, settings.request);
      });
      return;
    }

    const upstream = settings.upstream;
    const withPluginUpstream = (handler: FakeUpstreamHandler, body: (fake: FakeUpstream, provider: Provider) => Promise<void>) =>
      withUpstream(handler, async (fake, baseUrl) => body(fake, await provide(`${baseUrl}${upstream.basePath ?? ''}`)));

    for (const fixture of upstream.fixtures) {
      it(`replays ${fixture.name} in the stream grammar, sending the key and request id`, async () => {
        await withPluginUpstream(replayFixture(fixture), async (fake, provider) => {
          assertEventGrammar(await collectEvents(provider.chat(settings.request, { signal: signal(), requestId: 'contract-request-1' })));
          assert.equal(fake.requests.length, 1, 'one upstream request per chat');
          const headers = Object.values(fake.requests[0]?.headers ?? {}).flat().join('\n');
          assert.ok(headers.includes(API_KEY), 'the endpoint key travels in a header');
          assert.equal(fake.requests[0]?.headers['x-request-id'], 'contract-request-1');
        });
      });
    }

    it('stops promptly with cancelled, closing the upstream connection, when aborted during a stalled stream', async () => {
      const first = upstream.fixtures[0];
      assert.ok(first !== undefined, 'at least one fixture is needed');
      let connectionClosed!: Promise<void>;
      const handler: FakeUpstreamHandler = (_request, response) => {
        connectionClosed = new Promise((resolve) => response.on('close', () => resolve()));
        respondWithStall(response, firstFrameOf(first), first.contentType ?? 'text/event-stream');
      };
      await withPluginUpstream(handler, async (_fake, provider) => {
        await expectPromptCancellation(provider, settings.request);
        await withinOneSecond(connectionClosed, 'the upstream connection closes after an abort');
      });
    });

    const errorBody = upstream.errorBody ?? ((status: number, message: string) => ({ error: { message, type: `status_${status}` } }));
    const statusCases: ReadonlyArray<readonly [number, ErrorKind, Record<string, string>]> = [
      [401, 'authentication', {}],
      [403, 'permission', {}],
      [404, 'not_found', {}],
      [408, 'timeout', {}],
      [429, 'rate_limited', { 'retry-after': '7' }],
      [500, 'unavailable', {}],
    ];
    for (const [status, kind, headers] of statusCases) {
      it(`maps HTTP ${status} to ${kind}, without echoing the key`, async () => {
        const handler: FakeUpstreamHandler = (_request, response) =>
          respondWithJson(response, status, errorBody(status, `upstream says no; key was ${API_KEY}`), headers);
        await withPluginUpstream(handler, async (_fake, provider) => {
          const error = await failureOf(collectEvents(provider.chat(settings.request, { signal: signal() })));
          assert.equal(error.kind, kind);
          assert.equal(error.status, status);
          assert.ok(!error.message.includes(API_KEY), 'the key must not appear in the error message');
          if (status === 429) {
            assert.equal(error.retryAfterMs, 7_000);
          }
        });
      });
    }

    it('fails with unavailable when the upstream refuses the connection', async () => {
      const closed = await startFakeUpstream(() => undefined);
      await closed.close();
      const provider = await provide(`${closed.url}${upstream.basePath ?? ''}`);
      assert.equal((await failureOf(collectEvents(provider.chat(settings.request, { signal: signal() })))).kind, 'unavailable');
    });

    it('fails with unavailable when the upstream drops the connection mid-stream', async () => {
      const first = upstream.fixtures[0];
      assert.ok(first !== undefined, 'at least one fixture is needed');
      const handler: FakeUpstreamHandler = (_request, response: ServerResponse) => {
        respondWithStall(response, firstFrameOf(first), first.contentType ?? 'text/event-stream');
        setTimeout(() => response.destroy(), 50);
      };
      await withPluginUpstream(handler, async (_fake, provider) => {
        assert.equal((await failureOf(collectEvents(provider.chat(settings.request, { signal: signal() })))).kind, 'unavailable');
      });
    });

    it('fails with a ProviderError, not a crash or garbage, on a malformed body', async () => {
      const malformed = upstream.malformed ?? { name: 'broken SSE', body: 'data: {"id":"x","choices":[{"delta":{"content":"a"\n\n' };
      await withPluginUpstream(
        (_request, response) =>
          respondWithStream(response, malformed.body, malformed.contentType === undefined ? {} : { contentType: malformed.contentType }),
        async (_fake, provider) => {
          const error = await failureOf(collectEvents(provider.chat(settings.request, { signal: signal() })));
          assert.ok(isErrorKind(error.kind));
        },
      );
    });
  });
}

/** Aborts once the stream has started (or after 200 ms) and expects `cancelled` within a second. */
async function expectPromptCancellation(provider: Provider, request: ChatRequest): Promise<void> {
  const controller = new AbortController();
  let abortedAt = 0;
  const abort = (): void => {
    if (abortedAt === 0) {
      abortedAt = Date.now();
      controller.abort();
    }
  };
  const fallback = setTimeout(abort, 200);
  const reading = (async () => {
    for await (const event of provider.chat(request, { signal: controller.signal })) {
      if (event.type === 'start') {
        setTimeout(abort, 20);
      }
    }
  })();
  try {
    const error = await withinOneSecondOf(failureOf(reading), () => abortedAt, 'the stream ends after an abort');
    assert.equal(error.kind, 'cancelled');
  } finally {
    clearTimeout(fallback);
  }
}

async function withinOneSecondOf<T>(promise: Promise<T>, since: () => number, what: string): Promise<T> {
  const result = await withinSeconds(promise, SETTLE_SECONDS, what);
  const elapsed = Date.now() - since();
  assert.ok(elapsed < 1_000, `${what} within a second (took ${elapsed} ms)`);
  return result;
}

function withinOneSecond<T>(promise: Promise<T>, what: string): Promise<T> {
  return withinSeconds(promise, 1, what);
}

async function withinSeconds<T>(promise: Promise<T>, seconds: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`expected ${what} within ${seconds} s`)), seconds * 1_000);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The `ProviderError` a call fails with. Bounded in time, so that a plugin deaf to its signal fails
 * the check instead of hanging the suite.
 */
async function failureOf(promise: Promise<unknown>): Promise<ProviderError> {
  const outcome = await withinSeconds(
    promise.then(
      () => undefined,
      (error: unknown) => error,
    ),
    SETTLE_SECONDS,
    'the call to settle',
  );
  assert.ok(outcome !== undefined, 'expected the call to fail');
  assert.ok(ProviderError.isInstance(outcome), `expected a ProviderError, got ${String(outcome)}`);
  return outcome;
}

async function withUpstream(handler: FakeUpstreamHandler, body: (upstream: FakeUpstream, baseUrl: string) => Promise<void>): Promise<void> {
  const upstream = await startFakeUpstream(handler);
  try {
    await body(upstream, upstream.url);
  } finally {
    await upstream.close();
  }
}
