import { defineProviderPlugin, type ProviderPlugin } from '../provider-plugin.js';
import { describeProviderContract, type TestApi } from './describe-provider-contract.js';

/** Registers the contract's cases with a recorder instead of jest, so they can be run against a plugin that should fail. */
function recordContractCases(plugin: ProviderPlugin<Record<string, never>>): Map<string, () => Promise<void> | void> {
  const cases = new Map<string, () => Promise<void> | void>();
  const testApi: TestApi = {
    describe: (_name, body) => body(),
    it: (name, body) => cases.set(name, body),
  };
  describeProviderContract(plugin, {
    options: {},
    request: { model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], sampling: {}, stream: true },
    upstream: { fixtures: [{ name: 'text', body: 'data: {"id":"c","model":"m","choices":[{"index":0,"delta":{"content":"hi"}}]}\n\n' }] },
    testApi,
  });
  return cases;
}

/** A plugin that gets everything wrong: no finish, deaf to aborts, plain errors, no key sent. */
const sloppyPlugin = defineProviderPlugin<Record<string, never>>({
  id: 'sloppy',
  configSchema: {},
  catalogue: [{ id: 'm' }],
  createProvider: ({ endpoint }) => ({
    async *chat() {
      const response = await fetch(endpoint.baseUrl, { method: 'POST', body: '{}' });
      if (!response.ok) {
        throw new Error(`HTTP ${response.status}`);
      }
      yield { type: 'start', id: 'x', model: 'm' };
      await response.text();
      yield { type: 'text-delta', text: 'hi' };
    },
  }),
});

describe('describeProviderContract', () => {
  const cases = recordContractCases(sloppyPlugin);

  it('registers the declaration, grammar, cancellation and error-kind checks', () => {
    expect([...cases.keys()]).toEqual([
      'declares a well-formed plugin',
      'fails with cancelled, calling nobody, when the signal is already aborted',
      'replays text in the stream grammar, sending the key and request id',
      'stops promptly with cancelled, closing the upstream connection, when aborted during a stalled stream',
      'maps HTTP 401 to authentication, without echoing the key',
      'maps HTTP 403 to permission, without echoing the key',
      'maps HTTP 404 to not_found, without echoing the key',
      'maps HTTP 408 to timeout, without echoing the key',
      'maps HTTP 429 to rate_limited, without echoing the key',
      'maps HTTP 500 to unavailable, without echoing the key',
      'fails with unavailable when the upstream refuses the connection',
      'fails with unavailable when the upstream drops the connection mid-stream',
      'fails with a ProviderError, not a crash or garbage, on a malformed body',
    ]);
  });

  it('fails a plugin that breaks the contract, case by case', async () => {
    const outcomes = new Map<string, string>();
    for (const [name, body] of cases) {
      outcomes.set(
        name,
        await Promise.resolve()
          .then(body)
          .then(
            () => 'passed',
            (error: unknown) => (error instanceof Error ? error.message : String(error)),
          ),
      );
    }
    expect(outcomes.get('declares a well-formed plugin')).toBe('passed');
    for (const [name, outcome] of outcomes) {
      if (name !== 'declares a well-formed plugin') {
        expect([name, outcome]).not.toEqual([name, 'passed']);
      }
    }
    expect(outcomes.get('replays text in the stream grammar, sending the key and request id')).toMatch(/has no `finish`/);
    expect(outcomes.get('maps HTTP 429 to rate_limited, without echoing the key')).toMatch(/expected a ProviderError/);
  });
});
