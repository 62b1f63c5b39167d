import OpenAI from 'openai';
import { startFakeAnthropicUpstream } from '../helpers/fake-anthropic-upstream.js';
import type { FakeProviderUpstream } from '../helpers/recorded-answers.js';
import { startTestRedis, type TestRedis } from '../helpers/redis-for-tests.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';
import { writeConfigFile } from '../helpers/write-config-file.js';

const ALICE_KEY = 'nachos-test-alice-5b1e';
const BOB_KEY = 'nachos-test-bob-93c4';

interface AnthropicTurn {
  role: string;
  content: string | Array<{ type: string; text?: string }>;
}

/** What the Anthropic upstream was asked last, as role and text per message. */
function lastConversation(upstream: FakeProviderUpstream): Array<{ role: string; text: string }> {
  const body = upstream.requests.at(-1)!.json() as { system?: unknown; messages: AnthropicTurn[] };
  return body.messages.map((message) => ({
    role: message.role,
    text: typeof message.content === 'string' ? message.content : message.content.map((block) => block.text ?? `[${block.type}]`).join(''),
  }));
}

async function failure(promise: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof OpenAI.APIError)) throw new Error(`expected an API error, got ${String(error)}`);
  return error;
}

describe('Responses API state: store, previous_response_id, retrieve, input items, delete (official openai SDK, Anthropic upstream, Redis)', () => {
  let upstream: FakeProviderUpstream;
  let redis: TestRedis;
  let services: RunningServices;
  let alice: OpenAI;
  let bob: OpenAI;

  beforeAll(async () => {
    upstream = await startFakeAnthropicUpstream([]);
    redis = await startTestRedis();
    services = await startServices({
      NACHOS_CONFIG: writeConfigFile(`
[[auth.keys]]
name = "alice"
key_env = "ALICE_KEY"
[[auth.keys]]
name = "bob"
key_env = "BOB_KEY"

[endpoints.anthropic]
provider = "anthropic"
base_url = "${upstream.url}"
api_key_env = "STORE_ANTHROPIC_KEY"
models = ["claude-sonnet-4-5"]
`),
      ALICE_KEY,
      BOB_KEY,
      STORE_ANTHROPIC_KEY: 'sk-ant-store-test-0f3a',
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: `nachos-responses-e2e-${process.pid}:`,
      LLM_PROXY_LOCAL_DISCOVERY: '0',
    });
    alice = new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: ALICE_KEY, maxRetries: 0 });
    bob = new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: BOB_KEY, maxRetries: 0 });
  });

  afterAll(async () => {
    await services?.stop();
    await redis?.stop();
    await upstream?.close();
  });

  it('continues a conversation by previous_response_id, which the upstream receives whole', async () => {
    const first = await alice.responses.create({ model: 'claude-sonnet-4-5', instructions: 'Be brief.', input: 'My name is Ada.' });
    expect(first).toMatchObject({ status: 'completed', store: true, previous_response_id: null });
    expect(first.output_text).toBe(upstream.recorded.text);

    const second = await alice.responses.create({ model: 'claude-sonnet-4-5', previous_response_id: first.id, input: 'What is my name?' });
    expect(second).toMatchObject({ status: 'completed', previous_response_id: first.id, instructions: null });
    expect(lastConversation(upstream)).toEqual([
      { role: 'user', text: 'My name is Ada.' },
      { role: 'assistant', text: upstream.recorded.text },
      { role: 'user', text: 'What is my name?' },
    ]);
    // Instructions are not carried over from the previous response, as at OpenAI.
    expect((upstream.requests.at(-1)!.json() as { system?: unknown }).system).toBeUndefined();

    // A streamed turn is stored too, and can be continued at once.
    const stream = await alice.responses.create({ model: 'claude-sonnet-4-5', previous_response_id: second.id, input: 'And again?', stream: true });
    let streamedId = '';
    for await (const event of stream) if (event.type === 'response.completed') streamedId = event.response.id;
    const third = await alice.responses.create({ model: 'claude-sonnet-4-5', previous_response_id: streamedId, input: 'Thanks.' });
    expect(third.status).toBe('completed');
    expect(lastConversation(upstream).map((turn) => turn.text)).toEqual([
      'My name is Ada.',
      upstream.recorded.text,
      'What is my name?',
      upstream.recorded.text,
      'And again?',
      upstream.recorded.text,
      'Thanks.',
    ]);
  });

  it('retrieves a stored response and lists its input items; the key that made it may delete it', async () => {
    const made = await alice.responses.create({ model: 'claude-sonnet-4-5', input: [{ role: 'user', content: 'Keep this.' }] });
    const retrieved = await alice.responses.retrieve(made.id);
    expect(retrieved).toEqual(made);

    const items = await alice.responses.inputItems.list(made.id);
    expect(items.data).toEqual([{ id: expect.stringMatching(/^msg_/), type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Keep this.' }] }]);

    expect(await alice.responses.delete(made.id)).toEqual({ id: made.id, object: 'response', deleted: true });
    expect((await failure(alice.responses.retrieve(made.id))).status).toBe(404);
  });

  it('is invisible to another gateway key, and continuing it from there costs no upstream call', async () => {
    const made = await alice.responses.create({ model: 'claude-sonnet-4-5', input: 'Secret of Alice.' });
    const calls = upstream.requests.length;

    const retrieve = await failure(bob.responses.retrieve(made.id));
    expect(retrieve.status).toBe(404);
    expect(retrieve.message).toContain(made.id);
    expect((await failure(bob.responses.inputItems.list(made.id))).status).toBe(404);
    expect((await failure(bob.responses.delete(made.id))).status).toBe(404);
    const continued = await failure(bob.responses.create({ model: 'claude-sonnet-4-5', previous_response_id: made.id, input: 'What did Alice say?' }));
    expect(continued.status).toBe(404);
    expect(continued.param).toBe('previous_response_id');
    expect(upstream.requests.length).toBe(calls);

    // Still there for its owner.
    expect((await alice.responses.retrieve(made.id)).id).toBe(made.id);
  });

  it('keeps nothing when told store: false', async () => {
    const made = await alice.responses.create({ model: 'claude-sonnet-4-5', input: 'Forget this.', store: false });
    expect(made.store).toBe(false);
    expect((await failure(alice.responses.retrieve(made.id))).status).toBe(404);
  });
});
