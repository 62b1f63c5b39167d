import Anthropic from '@anthropic-ai/sdk';
import { startFakeAnthropicUpstream } from '../helpers/fake-anthropic-upstream.js';
import type { FakeProviderUpstream } from '../helpers/recorded-answers.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';
import { writeConfigFile } from '../helpers/write-config-file.js';

describe('cache_control on blocks and anthropic-beta reach Anthropic (official @anthropic-ai/sdk)', () => {
  let upstream: FakeProviderUpstream;
  let services: RunningServices;
  let client: Anthropic;

  beforeAll(async () => {
    upstream = await startFakeAnthropicUpstream([]);
    services = await startServices({
      NACHOS_CONFIG: writeConfigFile(`
[endpoints.anthropic]
provider = "anthropic"
base_url = "${upstream.url}"
api_key_env = "CACHE_ANTHROPIC_KEY"
models = ["claude-sonnet-4-5"]
`),
      CACHE_ANTHROPIC_KEY: 'sk-ant-cache-test-7e21',
      LLM_PROXY_LOCAL_DISCOVERY: '0',
    });
    client = new Anthropic({ baseURL: services.gatewayUrl, apiKey: 'unused', maxRetries: 0 });
  });

  afterAll(async () => {
    await services?.stop();
    await upstream?.close();
  });

  it('keeps each block its breakpoint, and sends the beta header along', async () => {
    const message = await client.beta.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 256,
      betas: ['extended-cache-ttl-2025-04-11', 'token-efficient-tools-2025-02-19'],
      system: [
        { type: 'text', text: 'You are a careful reviewer.' },
        { type: 'text', text: 'The whole style guide…', cache_control: { type: 'ephemeral', ttl: '1h' } },
      ],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'A long shared document…', cache_control: { type: 'ephemeral' } },
            { type: 'text', text: 'What does it say?' },
          ],
        },
      ],
    });
    expect(message.content).toEqual([expect.objectContaining({ type: 'text', text: upstream.recorded.text })]);

    const received = upstream.requests.at(-1)!;
    expect(received.headers['anthropic-beta']).toBe('extended-cache-ttl-2025-04-11,token-efficient-tools-2025-02-19');
    const body = received.json() as { system: unknown; messages: Array<{ content: unknown }> };
    expect(body.system).toEqual([
      { type: 'text', text: 'You are a careful reviewer.' },
      { type: 'text', text: 'The whole style guide…', cache_control: { type: 'ephemeral', ttl: '1h' } },
    ]);
    expect(body.messages[0]!.content).toEqual([
      { type: 'text', text: 'A long shared document…', cache_control: { type: 'ephemeral' } },
      { type: 'text', text: 'What does it say?' },
    ]);
  });

  it('sends no beta header when the client asked for none', async () => {
    await client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] });
    expect(upstream.requests.at(-1)!.headers['anthropic-beta']).toBeUndefined();
  });
});
