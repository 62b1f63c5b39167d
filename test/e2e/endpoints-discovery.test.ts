import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ollama } from 'ollama';
import OpenAI from 'openai';
import { startFakeModelServer, type FakeModelServer } from '../helpers/fake-model-server.js';
import { freePort } from '../helpers/free-port.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';
import { writeConfigFile } from '../helpers/write-config-file.js';

const ADMIN_KEY = 'admin-discovery-canary-4444';
const INTERVAL_MS = 400;

/**
 * Auto-discovery through both services: fake Ollama, LM Studio, vLLM and LiteLLM servers on loopback
 * ports (the signature ports are configurable, so nothing touches the real 11434, 1234, 8000, 4000),
 * found at start and on the interval, served through every client surface, and dropped when they go.
 */
describe('auto-discovery of local model servers', () => {
  const servers: FakeModelServer[] = [];
  const running: RunningServices[] = [];

  afterEach(async () => {
    await Promise.all(running.splice(0).map((services) => services.stop()));
    await Promise.all(servers.splice(0).map((server) => server.stop()));
  });

  async function fake(options: Parameters<typeof startFakeModelServer>[0]): Promise<FakeModelServer> {
    const server = await startFakeModelServer(options);
    servers.push(server);
    return server;
  }

  async function start(ports: Record<string, number>, env: Record<string, string> = {}): Promise<{ services: RunningServices; openai: OpenAI; ollama: Ollama }> {
    const services = await startServices({
      NACHOS_ADMIN_KEY: ADMIN_KEY,
      LLM_PROXY_REGISTRY_FILE: join(mkdtempSync(join(tmpdir(), 'nachos-registry-')), 'registry.json'),
      LLM_PROXY_DISCOVERY_HOSTS: '127.0.0.1',
      LLM_PROXY_DISCOVERY_PORTS: Object.entries(ports).map(([kind, port]) => `${kind}=${port}`).join(','),
      LLM_PROXY_DISCOVERY_INTERVAL_MS: String(INTERVAL_MS),
      LLM_PROXY_DISCOVERY_TIMEOUT_MS: '300',
      ...env,
    });
    running.push(services);
    return {
      services,
      openai: new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: 'unused', maxRetries: 0 }),
      ollama: new Ollama({ host: services.gatewayUrl }),
    };
  }

  const registry = async (services: RunningServices) =>
    ((await (await fetch(`${services.gatewayUrl}/admin/v1/registry`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })).json()) as {
      endpoints: Array<{ id: string; provider: string; source: string; models: string[]; base_url: string }>;
    }).endpoints;

  const modelIds = async (openai: OpenAI) => (await openai.models.list()).data.map((model) => model.id).sort();

  async function waitFor(check: () => Promise<boolean>, withinMs: number): Promise<number> {
    const startedAt = Date.now();
    while (!(await check())) {
      if (Date.now() - startedAt > withinMs) throw new Error(`not within ${withinMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return Date.now() - startedAt;
  }

  it('serves what Ollama, LM Studio, vLLM and LiteLLM servers list, tagged auto-discovery, through /v1/models, /api/tags and chat', async () => {
    const ollamaServer = await fake({ kind: 'ollama', models: ['llama3.2:latest'], reply: 'from ollama' });
    const lmstudio = await fake({ kind: 'openai', models: ['qwen-lms'], reply: 'from lm studio', ownedBy: 'organization_owner' });
    const vllm = await fake({ kind: 'openai', models: ['mistral-vllm'], reply: 'from vllm', ownedBy: 'vllm' });
    const litellm = await fake({ kind: 'openai', models: ['gpt-via-litellm'], reply: 'from litellm' });
    // A peer given as host:port is probed for every kind on that port; this one is shaped like vLLM.
    const peer = await fake({ kind: 'openai', models: ['peer-model'], reply: 'from the peer', ownedBy: 'vllm' });
    const { services, openai, ollama } = await start(
      { ollama: ollamaServer.port, lmstudio: lmstudio.port, vllm: vllm.port, litellm: litellm.port },
      { LLM_PROXY_DISCOVERY_PEERS: `127.0.0.1:${peer.port}` },
    );

    // Ollama's `llama3.2:latest` is a catalogue model: it is listed under the catalogue's id, and both names work.
    expect(await modelIds(openai)).toEqual(['gpt-via-litellm', 'llama3.2', 'mistral-vllm', 'peer-model', 'qwen-lms']);
    expect((await ollama.list()).models.map((model) => model.name).sort()).toEqual(['gpt-via-litellm', 'llama3.2', 'mistral-vllm', 'peer-model', 'qwen-lms']);
    expect((await registry(services)).map(({ id, provider, source }) => ({ id, provider, source }))).toEqual([
      { id: 'ollama', provider: 'ollama', source: 'auto-discovery' },
      { id: 'lmstudio', provider: 'lmstudio', source: 'auto-discovery' },
      { id: 'vllm', provider: 'vllm', source: 'auto-discovery' },
      { id: 'litellm', provider: 'litellm', source: 'auto-discovery' },
      { id: 'vllm-127-0-0-1', provider: 'vllm', source: 'auto-discovery' },
    ]);

    const answers: Record<string, string> = {
      'llama3.2:latest': 'from ollama',
      'qwen-lms': 'from lm studio',
      'mistral-vllm': 'from vllm',
      'gpt-via-litellm': 'from litellm',
      'peer-model': 'from the peer',
    };
    for (const [model, reply] of Object.entries(answers)) {
      const completion = await openai.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });
      expect(completion.choices[0]?.message.content).toBe(reply);
    }
    const viaOllama = await ollama.chat({ model: 'mistral-vllm', messages: [{ role: 'user', content: 'hi' }], stream: false });
    expect(viaOllama.message.content).toBe('from vllm');
    expect(ollamaServer.paths).toContain('/api/chat');
  });

  it('adds a server that starts later within one interval, drops it when it stops, and warns once about a peer that does not resolve', async () => {
    const port = await freePort();
    const { services, openai } = await start({ vllm: port }, { LLM_PROXY_DISCOVERY_PEERS: 'no-such-peer.invalid' });
    expect(await modelIds(openai)).not.toContain('late-model');

    const late = await fake({ kind: 'openai', models: ['late-model'], reply: 'late but here', port });
    const appearedAfter = await waitFor(async () => (await modelIds(openai)).includes('late-model'), INTERVAL_MS + 1_500);
    expect(appearedAfter).toBeLessThan(INTERVAL_MS + 1_500);
    const completion = await openai.chat.completions.create({ model: 'late-model', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.choices[0]?.message.content).toBe('late but here');

    await late.stop();
    servers.splice(servers.indexOf(late), 1);
    await waitFor(async () => !(await modelIds(openai)).includes('late-model'), INTERVAL_MS + 1_500);
    await expect(openai.chat.completions.create({ model: 'late-model', messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({ status: 404 });
    const warnings = services.logs().split('\n').filter((line) => line.includes('discovery host does not resolve') && line.includes('no-such-peer.invalid'));
    expect(warnings).toHaveLength(1);
  });

  it('never takes over a configured endpoint: a taken id gets -auto, a server already configured is not listed twice', async () => {
    const configuredOllama = await fake({ kind: 'ollama', models: ['configured-llama'], reply: 'configured' });
    const localOllama = await fake({ kind: 'ollama', models: ['local-llama'], reply: 'discovered' });
    const litellm = await fake({ kind: 'openai', models: ['proxied-model'], reply: 'through the configured litellm' });
    const config = writeConfigFile(`
[endpoints.ollama]
provider = "ollama"
base_url = "http://127.0.0.1:${configuredOllama.port}"

[endpoints.my-proxy]
provider = "litellm"
base_url = "http://127.0.0.1:${litellm.port}/v1"
models = ["proxied-model"]
`);
    const { services, openai } = await start({ ollama: localOllama.port, litellm: litellm.port }, { NACHOS_CONFIG: config });

    const endpoints = await registry(services);
    expect(endpoints.map(({ id, source }) => ({ id, source }))).toEqual([
      { id: 'ollama', source: 'config' },
      { id: 'my-proxy', source: 'config' },
      { id: 'ollama-auto', source: 'auto-discovery' },
    ]);
    expect(endpoints.find((endpoint) => endpoint.id === 'ollama')?.base_url).toBe(`http://127.0.0.1:${configuredOllama.port}`);
    const reply = async (model: string) => (await openai.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] })).choices[0]?.message.content;
    expect(await reply('configured-llama')).toBe('configured');
    expect(await reply('local-llama')).toBe('discovered');
  });

  it('probes nothing when LLM_PROXY_LOCAL_DISCOVERY=0', async () => {
    const ollamaServer = await fake({ kind: 'ollama', models: ['llama3.2:latest'], reply: 'from ollama' });
    const { services, openai } = await start({ ollama: ollamaServer.port }, { LLM_PROXY_LOCAL_DISCOVERY: '0' });
    await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS * 2));
    expect(await modelIds(openai)).not.toContain('llama3.2:latest');
    expect(ollamaServer.paths).toEqual([]);
    expect(services.logs()).toContain('local discovery is off');
  });
});
