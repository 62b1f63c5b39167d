import type { ChildProcess } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot } from './compose-file.js';
import { ADDRESSES, IsolationTopology, namespacesUnavailableReason } from './netns/network-namespaces.js';

/**
 * The real services wired as docker-compose.yml wires them, in network namespaces instead of containers:
 * the gateway on the internal network only, llm-proxy on internal + egress, Redis internal. Proves that
 * the gateway cannot reach an internet address while a chat request through it reaches a provider there
 * by way of llm-proxy. Needs root and iproute2; elsewhere the suite is skipped and says why.
 */
const unavailable = namespacesUnavailableReason();
if (unavailable) console.warn(`network isolation test skipped: ${unavailable}`);
const describeWithNamespaces = unavailable ? describe.skip : describe;

const PROVIDER_PORT = 8443;
const PROVIDER_KEY = 'fake-provider-key-for-the-namespace-test';
const GATEWAY_KEY = 'fake-gateway-key-for-the-namespace-test';
const REPLY = 'hello from the internet namespace';
const node = process.execPath;
const probeScript = join(repositoryRoot, 'test/deploy/netns/http-probe.mjs');
const baseEnvironment = { PATH: process.env.PATH ?? '/usr/bin:/bin', NODE_ENV: 'production', LOG_LEVEL: 'warn' };

interface ProbeResult {
  status?: number;
  body?: string;
  connected?: boolean;
  error?: string;
}

describeWithNamespaces('network isolation as docker-compose.yml wires it (network namespaces)', () => {
  let topology: IsolationTopology;
  const output = new Map<string, string[]>();
  const providerRequests: Array<{ authorization: string | null; model: string }> = [];

  const exited: string[] = [];
  const capture = (name: string, child: ChildProcess) => {
    const lines: string[] = [];
    output.set(name, lines);
    child.stdout?.setEncoding('utf8').on('data', (text: string) => lines.push(text));
    child.stderr?.setEncoding('utf8').on('data', (text: string) => lines.push(text));
    child.once('exit', (code, signal) => exited.push(`${name} exited (${signal ?? code})`));
    return child;
  };
  const logs = () => [...output].map(([name, lines]) => `--- ${name}\n${lines.join('').slice(-2000)}`).join('\n');

  const probe = (role: 'gateway' | 'proxy', ...args: string[]): ProbeResult =>
    JSON.parse(topology.run(role, node, [probeScript, ...args]).stdout || '{"error":"no output"}') as ProbeResult;

  async function waitFor(what: string, ready: () => boolean, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!ready()) {
      if (exited.length > 0) throw new Error(`${exited.join(', ')} while waiting for ${what}\n${logs()}`);
      if (Date.now() > deadline) throw new Error(`${what} did not come up within ${timeoutMs} ms\n${logs()}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  beforeAll(async () => {
    for (const service of ['gateway', 'llm-proxy']) {
      if (!existsSync(join(repositoryRoot, `services/${service}/dist/main.js`))) {
        throw new Error(`services/${service}/dist/main.js is missing: run npm run build first`);
      }
    }
    if (spawnSync('redis-server', ['--version']).error) throw new Error('redis-server is not installed (apt-get install redis-server)');
    topology = IsolationTopology.create();

    const provider = capture(
      'provider',
      topology.start('internet', node, [join(repositoryRoot, 'test/deploy/netns/fake-openai-server.mjs'), ADDRESSES.provider, String(PROVIDER_PORT), REPLY], baseEnvironment),
    );
    provider.stdout?.on('data', (text: string) => {
      for (const line of text.split('\n').filter((entry) => entry.startsWith('{'))) {
        providerRequests.push((JSON.parse(line) as { seen: { authorization: string | null; model: string } }).seen);
      }
    });
    capture(
      'redis',
      topology.start('redis', 'redis-server', ['--bind', ADDRESSES.redis, '--port', '6379', '--save', '', '--appendonly', 'no', '--protected-mode', 'no'], baseEnvironment),
    );
    capture(
      'llm-proxy',
      topology.start('proxy', node, ['services/llm-proxy/dist/main.js'], {
        ...baseEnvironment,
        LLM_PROXY_HOST: '0.0.0.0',
        LLM_PROXY_GRPC_PORT: '50051',
        LLM_PROXY_HTTP_PORT: '9090',
        LLM_PROXY_LOCAL_DISCOVERY: '0',
        REDIS_URL: `redis://${ADDRESSES.redis}:6379`,
        LLM_PROXY_ENDPOINT_FAKE_URL: `http://${ADDRESSES.provider}:${PROVIDER_PORT}/v1`,
        LLM_PROXY_ENDPOINT_FAKE_MODELS: 'fake-model',
        LLM_PROXY_ENDPOINT_FAKE_KEY: PROVIDER_KEY,
      }),
    );
    capture(
      'gateway',
      topology.start('gateway', node, ['services/gateway/dist/main.js'], {
        ...baseEnvironment,
        HOST: '0.0.0.0',
        PORT: '8080',
        LLM_PROXY_URL: `${ADDRESSES.proxy}:50051`,
        REDIS_URL: `redis://${ADDRESSES.redis}:6379`,
        NACHOS_API_KEYS: GATEWAY_KEY,
      }),
    );
    await waitFor('the fake provider', () => (output.get('provider') ?? []).join('').includes('listening'));
    // The image's HEALTHCHECK script, run where the container would run it.
    const healthcheck = () => topology.run('proxy', node, ['services/llm-proxy/dist/healthcheck.js'], { ...baseEnvironment, LLM_PROXY_GRPC_PORT: '50051' });
    await waitFor('llm-proxy (its gRPC health check)', () => healthcheck().status === 0);
    await waitFor('the gateway', () => probe('gateway', 'http', 'GET', 'http://127.0.0.1:8080/health').status === 200);
  }, 60_000);

  afterAll(async () => {
    await topology?.destroy();
  });

  it('leaves the gateway no route to the internet address', () => {
    const result = probe('gateway', 'http', 'GET', `http://${ADDRESSES.provider}:${PROVIDER_PORT}/v1/models`);
    expect(result.status).toBeUndefined();
    expect(result.error).toBe('ENETUNREACH');
  });

  it('lets llm-proxy reach the same address (so the probe above can tell the difference)', () => {
    const result = probe('proxy', 'http', 'GET', `http://${ADDRESSES.provider}:${PROVIDER_PORT}/v1/models`);
    expect(result.status).toBe(200);
    expect(result.body).toContain('fake-model');
  });

  it('lets the gateway reach llm-proxy and Redis on the internal network', () => {
    expect(probe('gateway', 'tcp', ADDRESSES.proxy, '50051')).toEqual({ connected: true });
    expect(probe('gateway', 'tcp', ADDRESSES.redis, '6379')).toEqual({ connected: true });
  });

  it('serves a chat completion from the internet provider through the gateway and llm-proxy', async () => {
    const body = JSON.stringify({ model: 'fake-model', messages: [{ role: 'user', content: 'ping' }] });
    const result = probe(
      'gateway',
      'http',
      'POST',
      'http://127.0.0.1:8080/v1/chat/completions',
      body,
      `authorization:Bearer ${GATEWAY_KEY}`,
    );
    expect(result.status).toBe(200);
    const completion = JSON.parse(result.body ?? '{}') as { choices?: Array<{ message?: { content?: string } }> };
    expect(completion.choices?.[0]?.message?.content).toBe(REPLY);
    // The provider saw llm-proxy's key for it; the gateway's client key never left the gateway. (Its log line
    // is read from a pipe, which the event loop drains only now that the synchronous probe has returned.)
    await waitFor('the provider to log the request', () => providerRequests.length > 0, 5_000);
    expect(providerRequests).toHaveLength(1);
    expect(providerRequests[0]).toMatchObject({ authorization: `Bearer ${PROVIDER_KEY}`, model: 'fake-model' });
  });
});
