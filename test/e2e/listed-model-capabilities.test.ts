import { Ollama } from 'ollama';
import { respondWithJson, startFakeUpstream, type FakeUpstream } from '@nachos/plugin-sdk/testing';
import { startServices, type RunningServices } from '../helpers/start-services.js';

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
