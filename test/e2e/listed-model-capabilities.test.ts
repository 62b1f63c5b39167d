import { Ollama } from 'ollama';
import { respondWithJson, startFakeUpstream, type FakeUpstream } from '@nachos/plugin-sdk/testing';
import OpenAI from 'openai';
import { startServices, type RunningServices } from '../helpers/start-services.js';
import { writeConfigFile } from '../helpers/write-config-file.js';

/** A host's `/models` as OpenRouter writes it, and as LM Studio does: capabilities beside the ids. */
const LISTING = {
  object: 'list',
  data: [
    {
      id: 'acme/vision-tools-1',
      object: 'model',
      created: 1_750_000_000,
      owned_by: 'acme',
      architecture: { input_modalities: ['text', 'image'], output_modalities: ['text'] },
      supported_parameters: ['tools', 'tool_choice', 'reasoning', 'max_tokens'],
    },
    { id: 'local-vlm', object: 'model', owned_by: 'organization_owner', type: 'vlm', capabilities: ['tool_use'] },
    { id: 'plain-text-1', object: 'model', owned_by: 'acme' },
  ],
};

describe('capabilities of models nachos does not know, from the provider listing (official ollama SDK)', () => {
  let upstream: FakeUpstream;
  let services: RunningServices;
  let ollama: Ollama;

  beforeAll(async () => {
    upstream = await startFakeUpstream((request, response) =>
      request.url === '/v1/models' ? respondWithJson(response, 200, LISTING) : respondWithJson(response, 404, { error: { message: 'not found' } }),
    );
    services = await startServices({ LLM_PROXY_ENDPOINT_HOSTED_URL: `${upstream.url}/v1`, LLM_PROXY_LOCAL_DISCOVERY: '0' });
    ollama = new Ollama({ host: services.gatewayUrl });
  });

  afterAll(async () => {
    await services?.stop();
    await upstream?.close();
  });

  it('shows tools, vision and thinking where the listing says so, and only completion where it says nothing', async () => {
    expect((await ollama.show({ model: 'acme/vision-tools-1' })).capabilities).toEqual(['completion', 'tools', 'vision', 'thinking']);
    expect((await ollama.show({ model: 'local-vlm' })).capabilities).toEqual(['completion', 'tools', 'vision']);
    expect((await ollama.show({ model: 'plain-text-1' })).capabilities).toEqual(['completion']);

    const { models } = await ollama.list();
    const listed = models.find((model) => model.name === 'acme/vision-tools-1') as unknown as { capabilities: string[] };
    expect(listed.capabilities).toEqual(['completion', 'tools', 'vision', 'thinking']);
  });
});

describe("capabilities of models nachos does not know, from the endpoint's declaration (official ollama and openai SDKs)", () => {
  let upstream: FakeUpstream;
  let services: RunningServices;
  let ollama: Ollama;

  beforeAll(async () => {
    upstream = await startFakeUpstream((request, response) =>
      request.url === '/v1/models' ? respondWithJson(response, 200, LISTING) : respondWithJson(response, 404, { error: { message: 'not found' } }),
    );
    services = await startServices({
      NACHOS_CONFIG: writeConfigFile(`
[endpoints.house]
provider = "openai-compatible"
base_url = "${upstream.url}/v1"
auth_type = "none"
models = ["house-vlm-7b", "vlm-*"]
capabilities = ["tools", "vision"]

[endpoints.hosted]
provider = "openai-compatible"
base_url = "${upstream.url}/v1"
auth_type = "none"
capabilities = ["tools", "vision"]
`),
      LLM_PROXY_LOCAL_DISCOVERY: '0',
    });
    ollama = new Ollama({ host: services.gatewayUrl });
  });

  afterAll(async () => {
    await services?.stop();
    await upstream?.close();
  });

  it('shows the declared capabilities for models nothing else describes, in /api/show and /api/tags', async () => {
    expect((await ollama.show({ model: 'house-vlm-7b' })).capabilities).toEqual(['completion', 'tools', 'vision']);
    // A name the endpoint serves by pattern, listed nowhere.
    expect((await ollama.show({ model: 'vlm-next' })).capabilities).toEqual(['completion', 'tools', 'vision']);
    expect((await ollama.show({ model: 'plain-text-1' })).capabilities).toEqual(['completion', 'tools', 'vision']);
    const { models } = await ollama.list();
    const capabilitiesOf = (name: string) => (models.find((model) => model.name === name) as unknown as { capabilities: string[] }).capabilities;
    expect(capabilitiesOf('house-vlm-7b')).toEqual(['completion', 'tools', 'vision']);
    expect(capabilitiesOf('plain-text-1')).toEqual(['completion', 'tools', 'vision']);
  });

  it("keeps what the upstream's listing states over the declaration", async () => {
    // The listing says this model reads text and images, and takes tools and reasoning.
    expect((await ollama.show({ model: 'acme/vision-tools-1' })).capabilities).toEqual(['completion', 'tools', 'vision', 'thinking']);
  });

  it('lists the same models on /v1/models', async () => {
    const openai = new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: 'unused', maxRetries: 0 });
    const ids = [];
    for await (const model of openai.models.list()) ids.push(model.id);
    expect(ids).toEqual(expect.arrayContaining(['house-vlm-7b', 'plain-text-1', 'acme/vision-tools-1']));
  });
});
