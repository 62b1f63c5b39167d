import OpenAI from 'openai';
import { deltaChunk, startScriptedOpenAIUpstream, type ScriptedOpenAIUpstream } from '../helpers/scripted-openai-upstream.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';
import { writeConfigFile } from '../helpers/write-config-file.js';

const ADMIN_KEY = 'admin-cooldowns-canary-2718';

interface CooldownList {
  cooldowns: Array<{ key: string; reason: string; remaining_ms: number }>;
}

/**
 * Cooldowns come from what the provider said or did: the delay a rate-limit message names, and never
 * a wait of our own making (a full connection pool, a connect that timed out under our own load).
 */
describe('upstream cooldowns', () => {
  let limited: ScriptedOpenAIUpstream;
  let crowded: ScriptedOpenAIUpstream;
  let services: RunningServices;
  let client: OpenAI;

  beforeAll(async () => {
    limited = await startScriptedOpenAIUpstream(['model-limited']);
    crowded = await startScriptedOpenAIUpstream(['model-crowded']);
    const config = writeConfigFile(`
[llm]
upstream_connections = 1

[llm.timeouts]
connect_ms = 300

[endpoints.limited]
provider = "openai-compatible"
base_url = "${limited.url}"
models = ["model-limited"]

[endpoints.crowded]
provider = "openai-compatible"
base_url = "${crowded.url}"
models = ["model-crowded"]
`);
    services = await startServices({ NACHOS_CONFIG: config, NACHOS_ADMIN_KEY: ADMIN_KEY, LLM_PROXY_LOCAL_DISCOVERY: '0' });
    client = new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: 'unused', maxRetries: 0 });
  });

  afterAll(async () => {
    await services?.stop();
    await Promise.all([limited?.close(), crowded?.close()]);
  });

  const cooldowns = async (): Promise<CooldownList['cooldowns']> =>
    ((await (await fetch(`${services.gatewayUrl}/admin/v1/cooldowns`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })).json()) as CooldownList)
      .cooldowns;

  const frame = (payload: unknown) => `data: ${JSON.stringify(payload)}\n\n`;

  it('cools a key for the delay a mid-stream rate-limit message names, not the 30 s default', async () => {
    limited.reply = (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(frame({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'model-limited', ...deltaChunk({ role: 'assistant', content: 'Half' }) }));
      response.end(frame({ error: { message: 'Rate limit reached for requests; retry after 9s.', type: 'rate_limit_error', code: 'rate_limit_exceeded' } }));
    };
    const texts: string[] = [];
    const failure = await (async () => {
      for await (const chunk of await client.chat.completions.create({ model: 'model-limited', messages: [{ role: 'user', content: 'hi' }], stream: true })) {
        texts.push(chunk.choices[0]?.delta.content ?? '');
      }
    })().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(texts.join('')).toBe('Half');
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    const cooling = (await cooldowns()).filter((cooldown) => cooldown.key.startsWith('limited/'));
    expect(cooling).toHaveLength(1);
    expect(cooling[0]!.remaining_ms).toBeGreaterThan(5_000);
    expect(cooling[0]!.remaining_ms).toBeLessThanOrEqual(9_000);
  });

  it('fails requests that find no free connection in time, but takes no key out of rotation for it', async () => {
    crowded.reply = async (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(frame({ id: 'y', object: 'chat.completion.chunk', created: 1, model: 'model-crowded', ...deltaChunk({ role: 'assistant', content: 'slow' }) }));
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      response.write(frame({ id: 'y', object: 'chat.completion.chunk', created: 1, model: 'model-crowded', ...deltaChunk({}, 'stop') }));
      response.end('data: [DONE]\n\n');
    };
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, async () => {
        try {
          let text = '';
          for await (const chunk of await client.chat.completions.create({ model: 'model-crowded', messages: [{ role: 'user', content: 'hi' }], stream: true })) {
            text += chunk.choices[0]?.delta.content ?? '';
          }
          return text;
        } catch (error) {
          return error as Error;
        }
      }),
    );
    expect(outcomes).toContain('slow');
    expect(outcomes.filter((outcome) => outcome instanceof OpenAI.APIError).length).toBeGreaterThan(0);
    expect((await cooldowns()).filter((cooldown) => cooldown.key.startsWith('crowded/'))).toEqual([]);
    // The pool frees up: the next request is served, by the same key.
    let text = '';
    for await (const chunk of await client.chat.completions.create({ model: 'model-crowded', messages: [{ role: 'user', content: 'hi' }], stream: true })) {
      text += chunk.choices[0]?.delta.content ?? '';
    }
    expect(text).toBe('slow');
  });
});
