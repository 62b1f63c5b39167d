import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Anthropic from '@anthropic-ai/sdk';
import { Ollama } from 'ollama';
import OpenAI from 'openai';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from '../helpers/fake-openai-upstream.js';
import { logEntries } from '../helpers/log-entries.js';
import { createPluginsFolder, type PluginsFolder } from '../helpers/plugins-folder.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';
import { writeConfigFile } from '../helpers/write-config-file.js';

const ACME_KEY = 'sk-acme-drop-in-canary-51c2';

/** The README's "a compatible provider in a handful of lines", dropped in as a third party would. */
const ACME_PLUGIN = {
  'package.json': JSON.stringify({ name: 'nachos-plugin-acme', type: 'module', main: 'index.js', nachosPlugin: { id: 'acme', sdk: '^0.1.0' } }),
  'index.js': `import { createOpenAICompatiblePlugin } from '@nachos/plugin-sdk';

export default createOpenAICompatiblePlugin({
  id: 'acme',
  displayName: 'Acme AI',
  defaultBaseUrl: 'https://api.acme.example/v1',
  apiKeyEnv: 'ACME_API_KEY',
  catalogue: [{ id: 'acme-large', aliases: ['acme'], contextLength: 131072, capabilities: { tools: true } }],
});
`,
};

/** A plugin whose default export is a plain object, not one made by defineProviderPlugin. */
const BROKEN_PLUGIN = {
  'package.json': JSON.stringify({ name: 'nachos-plugin-broken', type: 'module', nachosPlugin: { id: 'broken', sdk: '^0.1.0' } }),
  'index.js': "export default { id: 'broken', catalogue: [], createProvider() {} };\n",
};

const BROKEN_LOAD_ERROR = 'plugin "broken" failed to load: its default export is not made by defineProviderPlugin() from @nachos/plugin-sdk';

const EXAMPLE = fileURLToPath(new URL('../../plugins/_examples/echo-provider/', import.meta.url));

describe('the example plugin', () => {
  it('passes the conformance kit with `node --test`, as its README says', async () => {
    const run = await promisify(execFile)(process.execPath, ['--test'], { cwd: EXAMPLE, env: { PATH: process.env.PATH } });
    expect(run.stdout).toMatch(/^# pass [1-9]\d*$/m);
    expect(run.stdout).toMatch(/^# fail 0$/m);
  });
});

describe('drop-in provider plugins through both services (official SDKs)', () => {
  let folder: PluginsFolder;
  let upstream: FakeOpenAIUpstream;
  let services: RunningServices;
  let client: OpenAI;

  beforeAll(async () => {
    folder = createPluginsFolder();
    folder.copy('plugins/_examples/echo-provider', 'echo');
    folder.write('acme', ACME_PLUGIN);
    folder.write('broken', BROKEN_PLUGIN);
    folder.linkBuiltIn('mock');
    upstream = await startFakeOpenAIUpstream({ models: ['acme-large'] });
    const config = writeConfigFile(`
[endpoints.echo]
provider = "echo"
[endpoints.echo.options]
prefix = "you said: "

[endpoints.acme]
provider = "acme"
base_url = "${upstream.url}"
models = ["acme-large"]

[endpoints.mock]
provider = "mock"
`);
    services = await startServices({
      NACHOS_CONFIG: config,
      NACHOS_PLUGINS_DIR: folder.path,
      ACME_API_KEY: ACME_KEY,
      LLM_PROXY_LOCAL_DISCOVERY: '0',
    });
    client = new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: 'unused', maxRetries: 0 });
  });

  afterAll(async () => {
    await services?.stop();
    await upstream?.close();
    folder?.remove();
  });

  it('serves the drop-in plugins beside a built-in one', async () => {
    const models = [];
    for await (const model of client.models.list()) models.push(model.id);
    expect(models.sort()).toEqual(['acme-large', 'echo-1', 'mock-1', 'mock-embed', 'mock-reasoning']);
  });

  it('streams the example echo plugin through the gateway, cut at max_tokens', async () => {
    const stream = await client.chat.completions.create({
      model: 'echo',
      messages: [{ role: 'user', content: 'hello from a plain index.js' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('you said: hello from a plain index.js');
    expect(chunks.find((chunk) => chunk.choices[0]?.finish_reason)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 7 });

    const cut = await client.chat.completions.create({ model: 'echo-1', max_tokens: 3, messages: [{ role: 'user', content: 'one two three four' }] });
    expect(cut.choices[0]).toMatchObject({ message: { content: 'you said: one' }, finish_reason: 'length' });
  });

  it('completes a tool round trip through the echo plugin', async () => {
    const tools: OpenAI.ChatCompletionTool[] = [
      { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: { text: { type: 'string' } } } } },
    ];
    const question: OpenAI.ChatCompletionMessageParam = { role: 'user', content: 'please get_time for me' };
    const turn = await client.chat.completions.create({ model: 'echo-1', tools, messages: [question] });
    const call = turn.choices[0]?.message.tool_calls?.[0];
    expect(turn.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call).toMatchObject({ type: 'function', id: expect.stringMatching(/^call_/), function: { name: 'get_time' } });
    expect(JSON.parse(call?.type === 'function' ? call.function.arguments : '')).toEqual({ text: 'please get_time for me' });

    const answer = await client.chat.completions.create({
      model: 'echo-1',
      tools,
      messages: [question, turn.choices[0]!.message, { role: 'tool', tool_call_id: call!.id, content: 'noon' }],
    });
    expect(answer.choices[0]?.message.content).toBe('you said: the tool said: noon');
  });

  it('answers the Anthropic and Ollama SDKs from the same plugin', async () => {
    const anthropic = new Anthropic({ baseURL: services.gatewayUrl, apiKey: 'unused', maxRetries: 0 });
    const message = await anthropic.messages
      .stream({ model: 'echo', max_tokens: 64, messages: [{ role: 'user', content: 'hi from Anthropic' }] })
      .finalMessage();
    expect(message.content).toEqual([{ type: 'text', text: 'you said: hi from Anthropic' }]);
    expect(message.stop_reason).toBe('end_turn');

    const ollama = new Ollama({ host: services.gatewayUrl });
    const reply = await ollama.chat({ model: 'echo-1', messages: [{ role: 'user', content: 'hi from Ollama' }] });
    expect(reply.message.content).toBe('you said: hi from Ollama');
  });

  it("turns the plugin's ProviderError into the client's error shape", async () => {
    const failure = await client.chat.completions
      .create({ model: 'echo-1', messages: [{ role: 'system', content: 'no user turn here' }] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    expect((failure as InstanceType<typeof OpenAI.BadRequestError>).error).toMatchObject({
      type: 'invalid_request_error',
      message: 'echo needs a user message with text',
    });
  });

  it('serves a compatible provider made with the SDK factory, its key reaching the upstream', async () => {
    const completion = await client.chat.completions.create({ model: 'acme', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.choices[0]?.message.content).toBe('Hello from the fake upstream.');
    const call = upstream.requests.find((request) => request.path === '/v1/chat/completions');
    expect(call?.headers.authorization).toBe(`Bearer ${ACME_KEY}`);
    // A chat the client did not stream is not streamed upstream either.
    expect(call?.body).toMatchObject({ model: 'acme-large', stream: false });
    expect(services.logs()).not.toContain(ACME_KEY);
  });

  it('warns about a broken plugin the configuration does not use, and starts anyway', () => {
    const entries = logEntries(services.llmProxy.output());
    expect(entries.filter((entry) => entry.message === BROKEN_LOAD_ERROR)).toEqual([expect.objectContaining({ level: 'warn' })]);
    expect(entries.find((entry) => entry.message === 'plugins loaded')).toMatchObject({ plugins: ['acme', 'echo', 'mock'] });
  });

  it('refuses to start, naming the plugin, when the configuration uses a broken one', async () => {
    const config = writeConfigFile('[endpoints.b]\nprovider = "broken"\nbase_url = "http://127.0.0.1:9"\n');
    const failure = await startServices({ NACHOS_CONFIG: config, NACHOS_PLUGINS_DIR: folder.path, LLM_PROXY_LOCAL_DISCOVERY: '0' }).then(
      (started) => started.stop().then(() => new Error('the services started')),
      (error: unknown) => error as Error,
    );
    expect(failure.message).toMatch(/^a service exited with code 1/);
    expect(logEntries(failure.message)).toContainEqual(
      expect.objectContaining({ level: 'error', service: 'llm-proxy', message: `llm-proxy cannot start: ${BROKEN_LOAD_ERROR}` }),
    );
  });

  it('says why when the configuration uses a plugin copied into a folder named unlike its id', async () => {
    const misnamed = createPluginsFolder();
    try {
      misnamed.copy('plugins/_examples/echo-provider', 'echo-provider');
      const config = writeConfigFile('[endpoints.echo]\nprovider = "echo"\n');
      const failure = await startServices({ NACHOS_CONFIG: config, NACHOS_PLUGINS_DIR: misnamed.path, LLM_PROXY_LOCAL_DISCOVERY: '0' }).then(
        (started) => started.stop().then(() => new Error('the services started')),
        (error: unknown) => error as Error,
      );
      expect(logEntries(failure.message)).toContainEqual(
        expect.objectContaining({
          level: 'error',
          message: expect.stringMatching(/^llm-proxy cannot start: plugin "echo-provider" failed to load: id "echo" must .* equal the folder name$/),
        }),
      );
    } finally {
      misnamed.remove();
    }
  });
});
