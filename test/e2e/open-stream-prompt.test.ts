import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { Ollama } from 'ollama';
import OpenAI from 'openai';
import { startServices, type RunningServices } from '../helpers/start-services.js';

/**
 * What an open stream keeps: its prompt only while the chat may still move (to another endpoint in llm-proxy,
 * to a call of its own in the gateway) because nothing was relayed yet, and in neither service once its first
 * token is on its way. Read from heap snapshots of both running services (`--heapsnapshot-signal`), searched
 * for a marker that starts each prompt; one stream per client protocol, each from its official SDK (the
 * Responses API's unstored: a stored response keeps its input to store it with the answer).
 */

const STREAMS = 4;
const PROMPT_CHARACTERS = 20_000;

/** An OpenAI-style upstream whose streams answer at once, send their first token when told, then stay open. */
function startHeldUpstream(): Promise<{ url: string; server: Server; open: ServerResponse[]; sendFirstTokens: () => void }> {
  const open: ServerResponse[] = [];
  const chunk = (delta: Record<string, unknown>) =>
    `data: ${JSON.stringify({ id: 'held', object: 'chat.completion.chunk', created: 1700000000, model: 'held', choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      if (request.method !== 'POST') {
        response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
        return;
      }
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(chunk({ role: 'assistant', content: '' }));
      open.push(response);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
        server,
        open,
        sendFirstTokens: () => {
          for (const response of open) response.write(chunk({ content: 'first' }));
        },
      }),
    ),
  );
}

/** How many strings in a fresh heap snapshot of `pid` contain `marker`. */
async function stringsHolding(pid: number, directory: string, marker: string): Promise<number> {
  const before = new Set(readdirSync(directory));
  process.kill(pid, 'SIGUSR2');
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const written = readdirSync(directory).find((name) => name.endsWith('.heapsnapshot') && !before.has(name));
    if (written === undefined) continue;
    const path = join(directory, written);
    const size = statSync(path).size;
    await new Promise((resolve) => setTimeout(resolve, 250));
    if (size === 0 || statSync(path).size !== size) continue;
    const text = readFileSync(path, 'utf8');
    if (!text.trimEnd().endsWith('}')) continue;
    const snapshot = JSON.parse(text) as { strings: string[] };
    return snapshot.strings.filter((value) => value.includes(marker)).length;
  }
}

describe('an open stream', () => {
  let upstream: Awaited<ReturnType<typeof startHeldUpstream>>;
  let services: RunningServices;
  let snapshots: string;

  beforeAll(async () => {
    upstream = await startHeldUpstream();
    snapshots = mkdtempSync(join(tmpdir(), 'nachos-snapshots-'));
    services = await startServices({
      LLM_PROXY_ENDPOINT_HELD_URL: upstream.url,
      LLM_PROXY_ENDPOINT_HELD_MODELS: 'held',
      NODE_OPTIONS: `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${snapshots}`,
    });
  });

  afterAll(async () => {
    for (const response of upstream?.open ?? []) response.destroy();
    await services?.stop();
    upstream?.server.close();
    rmSync(snapshots, { recursive: true, force: true });
  });

  it('keeps its prompt while it may still move, and in neither service once its first token is relayed', async () => {
    const marker = `prompt-marker-${randomUUID()}`;
    const prompt = (client: string) => `${marker} ${client} ${'x'.repeat(PROMPT_CHARACTERS)}`;
    const openai = new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: 'x', maxRetries: 0 });
    const anthropic = new Anthropic({ baseURL: services.gatewayUrl, apiKey: 'x', maxRetries: 0 });
    const ollama = new Ollama({ host: services.gatewayUrl });
    // Read up to the first token without ending the iteration, which would cancel the stream.
    const firstText = async <T>(chunks: AsyncIterator<T>, textOf: (chunk: T) => string | undefined): Promise<string | undefined> => {
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
        const text = textOf(next.value);
        if (text) return text;
      }
      return undefined;
    };
    // The answers' headers come with their first token (until then the chat may still move elsewhere).
    const opened = [
      openai.chat.completions.create({ model: 'held', stream: true, messages: [{ role: 'user', content: prompt('openai') }] }),
      anthropic.messages.create({ model: 'held', max_tokens: 16, stream: true, messages: [{ role: 'user', content: prompt('anthropic') }] }),
      ollama.chat({ model: 'held', stream: true, messages: [{ role: 'user', content: prompt('ollama') }] }),
      openai.responses.create({ model: 'held', stream: true, store: false, input: prompt('responses') }),
    ] as const;
    while (upstream.open.length < STREAMS) await new Promise((resolve) => setTimeout(resolve, 20));
    const pids = [services.gateway.child.pid as number, services.llmProxy.child.pid as number];

    for (const pid of pids) expect(await stringsHolding(pid, snapshots, marker)).toBeGreaterThanOrEqual(STREAMS);

    upstream.sendFirstTokens();
    const [fromOpenAI, fromAnthropic, fromOllama, fromResponses] = [await opened[0], await opened[1], await opened[2], await opened[3]];
    const firsts = await Promise.all([
      firstText(fromOpenAI[Symbol.asyncIterator](), (chunk) => chunk.choices[0]?.delta.content ?? undefined),
      firstText(fromAnthropic[Symbol.asyncIterator](), (event) => (event.type === 'content_block_delta' && event.delta.type === 'text_delta' ? event.delta.text : undefined)),
      firstText(fromOllama[Symbol.asyncIterator](), (part) => part.message.content),
      firstText(fromResponses[Symbol.asyncIterator](), (event) => (event.type === 'response.output_text.delta' ? event.delta : undefined)),
    ]);
    expect(firsts).toEqual(['first', 'first', 'first', 'first']);
    // Each stream is still open upstream, and neither service holds its prompt.
    for (const pid of pids) expect(await stringsHolding(pid, snapshots, marker)).toBe(0);
    expect(upstream.open.filter((response) => !response.destroyed)).toHaveLength(STREAMS);
    fromOpenAI.controller.abort();
    fromAnthropic.controller.abort();
    fromOllama.abort();
    fromResponses.controller.abort();
  });
});
