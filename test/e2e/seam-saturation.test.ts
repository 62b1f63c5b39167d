import OpenAI from 'openai';
import { deltaChunk, startScriptedOpenAIUpstream, type ScriptedOpenAIUpstream } from '../helpers/scripted-openai-upstream.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';
import { writeConfigFile } from '../helpers/write-config-file.js';

const ADMIN_KEY = 'admin-saturation-canary-3141';

/**
 * A saturated machine stalls a live llm-proxy for seconds at a time (simulated here by freezing it with
 * SIGSTOP for a few seconds and letting it go): that must cost neither the calls in flight across the
 * seam nor a key's place in rotation. A frozen llm-proxy that stays frozen is still given up
 * (seam-recovery.test.ts).
 */
describe('gateway and llm-proxy on a saturated machine', () => {
  let upstream: ScriptedOpenAIUpstream;
  let services: RunningServices;
  let client: OpenAI;

  beforeAll(async () => {
    upstream = await startScriptedOpenAIUpstream(['model-slow']);
    const config = writeConfigFile(`
[llm.timeouts]
first_token_ms = 1000

[llm.cooldowns]
server_error_threshold = 1

[endpoints.slow]
provider = "openai-compatible"
base_url = "${upstream.url}"
models = ["model-slow"]
`);
    services = await startServices({
      NACHOS_CONFIG: config,
      NACHOS_ADMIN_KEY: ADMIN_KEY,
      LLM_PROXY_LOCAL_DISCOVERY: '0',
      LLM_PROXY_EVENT_LOOP_LAG_LIMIT_MS: '500',
    });
    client = new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: 'unused', maxRetries: 0 });
  });

  afterAll(async () => {
    if (services?.llmProxy.child.exitCode === null) services.llmProxy.child.kill('SIGCONT');
    await services?.stop();
    await upstream?.close();
  });

  const frame = (payload: unknown) => `data: ${JSON.stringify(payload)}\n\n`;
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
    frame({ id: 'z', object: 'chat.completion.chunk', created: 1, model: 'model-slow', ...deltaChunk(delta, finish) });

  const cooldowns = async (): Promise<unknown[]> =>
    ((await (await fetch(`${services.gatewayUrl}/admin/v1/cooldowns`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })).json()) as { cooldowns: unknown[] })
      .cooldowns;

  const freeze = async (ms: number): Promise<void> => {
    services.llmProxy.child.kill('SIGSTOP');
    await new Promise((resolve) => setTimeout(resolve, ms));
    services.llmProxy.child.kill('SIGCONT');
  };

  it('keeps a stream whose llm-proxy stalls for 5 s mid-answer, and delivers all of it', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    upstream.reply = async (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(chunk({ role: 'assistant', content: 'Before' }));
      await released;
      response.write(chunk({ content: ' and after' }));
      response.write(chunk({}, 'stop'));
      response.end('data: [DONE]\n\n');
    };
    let text = '';
    for await (const part of await client.chat.completions.create({ model: 'model-slow', messages: [{ role: 'user', content: 'hi' }], stream: true })) {
      text += part.choices[0]?.delta.content ?? '';
      if (text === 'Before') {
        await freeze(5_000);
        release();
      }
    }
    expect(text).toBe('Before and after');
  });

  it('takes no key out of rotation for a first-token timeout that fired while llm-proxy itself was stalled', async () => {
    let answered = false;
    upstream.reply = async (_request, response) => {
      // The provider answers within the first-token limit; llm-proxy, stalled, reads it only afterwards.
      if (!answered) await new Promise((resolve) => setTimeout(resolve, 300));
      answered = true;
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(chunk({ role: 'assistant', content: 'On time' }));
      response.write(chunk({}, 'stop'));
      response.end('data: [DONE]\n\n');
    };
    const before = upstream.requests.length;
    const pending = client.chat.completions.create({ model: 'model-slow', messages: [{ role: 'user', content: 'hi' }] }).then(
      (completion) => completion.choices[0]?.message.content,
      (error: unknown) => error,
    );
    while (upstream.requests.length === before) await new Promise((resolve) => setTimeout(resolve, 10));
    await freeze(2_500);
    const outcome = await pending;
    // The client sees the timeout it was given: llm-proxy could not read the answer in time.
    expect(outcome).toMatchObject({ status: 504 });
    expect(await cooldowns()).toEqual([]);
    // Whatever the stalled request's fate, the same key serves the next one at once.
    const next = await client.chat.completions.create({ model: 'model-slow', messages: [{ role: 'user', content: 'hi' }] });
    expect(next.choices[0]?.message.content).toBe('On time');
  });
});
