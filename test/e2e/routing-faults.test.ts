import OpenAI from 'openai';
import { freePort } from '../helpers/free-port.js';
import { deltaChunk, replyWithChunks, startScriptedOpenAIUpstream, type ScriptedOpenAIUpstream } from '../helpers/scripted-openai-upstream.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';
import { writeConfigFile } from '../helpers/write-config-file.js';

const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'model-a', ...deltaChunk(delta, finish) })}\n\n`;

/**
 * Upstream faults from the reliability catalogue that concern routing (U2, U4, U5, U6, C1): what is
 * retried, what is not, and that every stream ends with an error the client's SDK raises.
 */
describe('routing under upstream faults', () => {
  let primary: ScriptedOpenAIUpstream;
  let backup: ScriptedOpenAIUpstream;
  let services: RunningServices;
  let client: OpenAI;
  const refusedPort = { value: 0 };

  beforeAll(async () => {
    primary = await startScriptedOpenAIUpstream(['model-a']);
    backup = await startScriptedOpenAIUpstream(['model-b']);
    refusedPort.value = await freePort();
    backup.reply = replyWithChunks([deltaChunk({ role: 'assistant', content: '' }), deltaChunk({ content: 'from the backup' }), deltaChunk({}, 'stop')]);
    const config = writeConfigFile(`
[llm]
fallback_order = ["backup:model-b"]

[llm.timeouts]
first_token_ms = 1500
idle_ms = 400

# Each case here fails the primary on purpose; cooldowns are tested elsewhere.
[llm.cooldowns]
server_error_threshold = 100

[endpoints.primary]
provider = "openai-compatible"
base_url = "${primary.url}"
models = ["model-a"]

[endpoints.nowhere]
provider = "openai-compatible"
base_url = "http://127.0.0.1:${refusedPort.value}/v1"
models = ["model-c"]

[llm.models.model-c]
fallbacks = ["backup:model-b"]

[endpoints.backup]
provider = "openai-compatible"
base_url = "${backup.url}"
models = ["model-b"]
`);
    services = await startServices({ NACHOS_CONFIG: config, LLM_PROXY_LOCAL_DISCOVERY: '0' });
    client = new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: 'x', maxRetries: 0 });
  });

  afterAll(async () => {
    await services?.stop();
    await primary?.close();
    await backup?.close();
  });

  beforeEach(() => {
    primary.requests.length = 0;
    backup.requests.length = 0;
  });

  const posts = (upstream: ScriptedOpenAIUpstream) => upstream.requests.filter((request) => request.method === 'POST').length;

  async function streamed(model = 'model-a'): Promise<{ text: string; failure: unknown }> {
    const stream = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }], stream: true });
    let text = '';
    try {
      for await (const part of stream) text += part.choices[0]?.delta.content ?? '';
      return { text, failure: undefined };
    } catch (error) {
      return { text, failure: error };
    }
  }

  it('U2: an in-band error after the first bytes is not retried and reaches the SDK as an error', async () => {
    primary.reply = (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(chunk({ role: 'assistant', content: '' }) + chunk({ content: 'partial' }));
      setTimeout(() => response.end(`event: error\ndata: ${JSON.stringify({ error: { message: 'Overloaded', type: 'overloaded_error' } })}\n\n`), 100);
    };
    const { text, failure } = await streamed();
    expect(text).toBe('partial');
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect(posts(primary)).toBe(1);
    expect(posts(backup)).toBe(0);
  });

  it('U4: a stall after the first token ends in an error once the idle timeout passes, without a retry, and the upstream is closed', async () => {
    const closedBefore = primary.closedEarly;
    primary.reply = (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(chunk({ role: 'assistant', content: '' }) + chunk({ content: 'then silence' }));
    };
    const started = Date.now();
    const { text, failure } = await streamed();
    expect(text).toBe('then silence');
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(posts(backup)).toBe(0);
    const deadline = Date.now() + 1_000;
    while (primary.closedEarly === closedBefore && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(primary.closedEarly).toBeGreaterThan(closedBefore);
  });

  it('U5: a stream closed without [DONE] or a finish reason is reported as truncated, never as complete', async () => {
    primary.reply = (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(chunk({ role: 'assistant', content: '' }) + chunk({ content: 'cut ' }));
      setTimeout(() => response.end(), 100);
    };
    const { text, failure } = await streamed();
    expect(text).toBe('cut ');
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect(posts(backup)).toBe(0);
  });

  it('U6: a refused connection fails over before anything was sent', async () => {
    const answer = await client.chat.completions.create({ model: 'model-c', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(answer.data.choices[0]?.message.content).toBe('from the backup');
    expect(answer.response.headers.get('x-nachos-endpoint')).toBe('backup');
    expect(answer.response.headers.get('x-nachos-attempts')).toBe('2');
  });

  it('C1: a client that leaves before the first token closes the upstream within a second', async () => {
    const closedBefore = primary.closedEarly;
    primary.reply = (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(': waiting\n\n');
    };
    const controller = new AbortController();
    const pending = client.chat.completions
      .create({ model: 'model-a', messages: [{ role: 'user', content: 'hi' }], stream: true }, { signal: controller.signal })
      .catch((error: unknown) => error);
    const arrival = Date.now() + 5_000;
    while (posts(primary) === 0 && Date.now() < arrival) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(posts(primary)).toBe(1);
    controller.abort();
    expect(await pending).toBeInstanceOf(OpenAI.APIUserAbortError);
    const deadline = Date.now() + 1_000;
    while (primary.closedEarly === closedBefore && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(primary.closedEarly).toBeGreaterThan(closedBefore);
  });
});
