import type { ChildProcess } from 'node:child_process';
import OpenAI from 'openai';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from '../helpers/fake-openai-upstream.js';
import { logEntries } from '../helpers/log-entries.js';
import { createPluginsFolder, type PluginsFolder } from '../helpers/plugins-folder.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';
import { writeConfigFile } from '../helpers/write-config-file.js';

/** Services at their default level, where a request's line is the only one it writes. */
const DEFAULT_LEVEL = { LOG_LEVEL: 'info' };

/** The exit code, once the process has exited and everything it wrote has been read. */
function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('close', (code) => resolve(code)));
}

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

/**
 * The request ids of a service's lines with this message, in the order it wrote them, leaving out the
 * gateway's lines for the readiness probes the services were started with.
 */
function requestIds(output: string, message: string): string[] {
  return logEntries(output)
    .filter((entry) => entry.message === message && entry.path !== '/ready')
    .map((entry) => String(entry.requestId));
}

describe('request lines when the services stop (SIGTERM)', () => {
  let upstream: FakeOpenAIUpstream;
  let services: RunningServices;

  beforeAll(async () => {
    // Each answer takes 5 × 40 ms upstream, so every request is still open when SIGTERM arrives.
    upstream = await startFakeOpenAIUpstream({ models: ['slow'], chunkDelayMs: 40 });
    services = await startServices({ ...DEFAULT_LEVEL, LLM_PROXY_ENDPOINT_UP_URL: upstream.url, LLM_PROXY_ENDPOINT_UP_MODELS: 'slow', SHUTDOWN_GRACE_MS: '10000' });
  });

  afterAll(async () => {
    await services?.stop();
    await upstream?.close();
  });

  it('writes one line in each service for every request answered while draining, before its last line', async () => {
    const client = new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: 'x', maxRetries: 0 });
    const ids = Array.from({ length: 32 }, (_, index) => `drain-${index}`);
    const answers = ids.map((id) =>
      client.chat.completions.create({ model: 'slow', messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-request-id': id } }),
    );
    await waitFor(() => upstream.requests.filter((request) => request.path === '/v1/chat/completions').length === ids.length);
    const exits = [exited(services.gateway.child), exited(services.llmProxy.child)];
    services.gateway.child.kill('SIGTERM');
    services.llmProxy.child.kill('SIGTERM');

    for (const answer of await Promise.all(answers)) expect(answer.choices[0]?.message.content).toBe('Hello from the fake upstream.');
    expect(await Promise.all(exits)).toEqual([0, 0]);
    const gateway = services.gateway.output();
    const llmProxy = services.llmProxy.output();
    expect(requestIds(gateway, 'request').sort()).toEqual([...ids].sort());
    expect(requestIds(llmProxy, 'chat').sort()).toEqual([...ids].sort());
    expect(logEntries(gateway).at(-1)?.message).toBe('stopped');
    expect(logEntries(llmProxy).at(-1)?.message).toBe('stopped');
  });
});

/**
 * A plugin that answers, then takes the process down with an uncaught exception as soon as the turn
 * that logged the call's line is over: nothing in between may lose that line.
 */
const CRASHING_PLUGIN = {
  'package.json': JSON.stringify({ name: 'nachos-plugin-crashing', type: 'module', main: 'index.js', nachosPlugin: { id: 'crashing', sdk: '^0.1.0' } }),
  'index.js': `import { defineProviderPlugin } from '@nachos/plugin-sdk';

export default defineProviderPlugin({
  id: 'crashing',
  displayName: 'Crashing',
  defaultBaseUrl: 'crashing://local',
  requiresApiKey: false,
  configSchema: {},
  catalogue: [{ id: 'crashing-1', contextLength: 1024, capabilities: {} }],
  createProvider() {
    return {
      async *chat(request) {
        try {
          yield { type: 'start', id: 'crashing-answer', model: request.model };
          yield { type: 'text-delta', text: 'last words' };
          yield { type: 'finish', reason: 'stop' };
          yield { type: 'usage', usage: { inputTokens: 1, outputTokens: 2 } };
        } finally {
          setImmediate(() => {
            throw new Error('the crashing plugin crashed');
          });
        }
      },
    };
  },
});
`,
};

describe('request lines when llm-proxy crashes', () => {
  let folder: PluginsFolder;
  let services: RunningServices;

  beforeAll(async () => {
    folder = createPluginsFolder();
    folder.write('crashing', CRASHING_PLUGIN);
    const config = writeConfigFile(`
[endpoints.crashing]
provider = "crashing"
`);
    services = await startServices({ ...DEFAULT_LEVEL, NACHOS_CONFIG: config, NACHOS_PLUGINS_DIR: folder.path, LLM_PROXY_LOCAL_DISCOVERY: '0' });
  });

  afterAll(async () => {
    await services?.stop();
    folder?.remove();
  });

  it("writes the line of the call it crashed right after, then the crash's error", async () => {
    const client = new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: 'x', maxRetries: 0 });
    const crash = exited(services.llmProxy.child);
    // Whether the answer gets out before the process dies is a race this test does not judge.
    await client.chat.completions
      .create({ model: 'crashing-1', messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-request-id': 'before-the-crash' } })
      .catch(() => undefined);

    expect(await crash).toBe(1);
    const output = services.llmProxy.output();
    expect(requestIds(output, 'chat')).toEqual(['before-the-crash']);
    expect(output).toContain('Error: the crashing plugin crashed');
  });
});
