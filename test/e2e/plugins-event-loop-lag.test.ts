import { createPluginsFolder, type PluginsFolder } from '../helpers/plugins-folder.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';
import { writeConfigFile } from '../helpers/write-config-file.js';

/** A plugin that hogs llm-proxy's event loop in bursts of 800 ms for about five seconds, then answers. */
const BUSY_PLUGIN = {
  'package.json': JSON.stringify({ name: 'nachos-plugin-busy', type: 'module', main: 'index.js', nachosPlugin: { id: 'busy', sdk: '^0.1.0' } }),
  'index.js': `import { defineProviderPlugin } from '@nachos/plugin-sdk';

export default defineProviderPlugin({
  id: 'busy',
  displayName: 'Busy',
  defaultBaseUrl: 'busy://local',
  requiresApiKey: false,
  configSchema: {},
  catalogue: [{ id: 'busy-model' }],
  createProvider: () => ({
    async *chat() {
      for (let burst = 0; burst < 6; burst += 1) {
        const until = Date.now() + 800;
        while (Date.now() < until) {}
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      yield { type: 'text-delta', text: 'done' };
      yield { type: 'finish', reason: 'stop' };
    },
  }),
});
`,
};

/**
 * P2's synchronous half: a plugin that blocks the event loop cannot be interrupted inside one Node process,
 * but llm-proxy measures the lag and reports not-ready (gRPC health and /ready) while it is high, so the
 * gateway's /ready and the orchestrator see it, and it is ready again once the loop keeps time.
 */
describe('event-loop lag in llm-proxy', () => {
  let folder: PluginsFolder;
  let services: RunningServices;

  beforeAll(async () => {
    folder = createPluginsFolder();
    folder.write('busy', BUSY_PLUGIN);
    folder.linkBuiltIn('mock');
    services = await startServices({
      NACHOS_PLUGINS_DIR: folder.path,
      LLM_PROXY_LOCAL_DISCOVERY: '0',
      LLM_PROXY_EVENT_LOOP_LAG_LIMIT_MS: '500',
      NACHOS_CONFIG: writeConfigFile('[endpoints.busy]\nprovider = "busy"\n\n[endpoints.mock]\nprovider = "mock"\n'),
    });
  });

  afterAll(async () => {
    await services?.stop();
    folder?.remove();
  });

  const proxyReady = async () => {
    const response = await fetch(`${services.llmProxyHttpUrl}/ready`);
    return { status: response.status, body: (await response.json()) as { status: string; event_loop_lag_ms?: number } };
  };
  const gatewayReady = async () => (await fetch(`${services.gatewayUrl}/ready`)).status;

  it('reports not-ready while a plugin hogs the event loop, and ready again after', async () => {
    expect((await proxyReady()).status).toBe(200);
    const busy = fetch(`${services.gatewayUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'busy-model', messages: [{ role: 'user', content: 'hi' }] }),
    });
    const seen: Array<{ status: number; body: { status: string; event_loop_lag_ms?: number } }> = [];
    const gatewaySeen: number[] = [];
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !seen.some((answer) => answer.body.status === 'lagging')) {
      seen.push(await proxyReady());
      gatewaySeen.push(await gatewayReady());
    }
    const lagging = seen.find((answer) => answer.body.status === 'lagging');
    expect(lagging).toEqual({ status: 503, body: expect.objectContaining({ status: 'lagging' }) });
    expect(lagging?.body.event_loop_lag_ms).toBeGreaterThan(500);
    expect(gatewaySeen).toContain(503);
    expect((await busy).status).toBe(200);

    const recovered = Date.now() + 10_000;
    while (Date.now() < recovered && (await proxyReady()).status !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await proxyReady()).status).toBe(200);
    expect(await gatewayReady()).toBe(200);
  });
});
