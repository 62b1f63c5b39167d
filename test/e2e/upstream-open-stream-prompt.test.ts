import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { startServices, type RunningServices } from '../helpers/start-services.js';

/**
 * What an open stream keeps in llm-proxy: its prompt only while the chat may still fail over (nothing relayed
 * yet), and not once the first token is on its way. Read from heap snapshots of the running llm-proxy
 * (`--heapsnapshot-signal`), searched for a marker that starts each prompt.
 */

const STREAMS = 3;
const PROMPT_CHARACTERS = 20_000;

/** An OpenAI-style upstream whose streams answer at once, send their first token when told, then stay open. */
function startHeldUpstream(): Promise<{ url: string; server: Server; open: ServerResponse[]; sendFirstTokens: () => void }> {
  const open: ServerResponse[] = [];
  const chunk = (delta: Record<string, unknown>) =>
    `data: ${JSON.stringify({ id: 'held', object: 'chat.completion.chunk', created: 1700000000, model: 'held', choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
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

describe('an open stream in llm-proxy', () => {
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

  it('keeps its prompt while it may fail over, and lets it go once its first token is relayed', async () => {
    const marker = `prompt-marker-${randomUUID()}`;
    const client = new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: 'x', maxRetries: 0 });
    // The answers' headers come with their first token (until then the chat may still move to another endpoint).
    const opening = Promise.all(
      Array.from({ length: STREAMS }, (_, index) =>
        client.chat.completions.create({ model: 'held', stream: true, messages: [{ role: 'user', content: `${marker} ${index} ${'x'.repeat(PROMPT_CHARACTERS)}` }] }),
      ),
    );
    while (upstream.open.length < STREAMS) await new Promise((resolve) => setTimeout(resolve, 20));
    const pid = services.llmProxy.child.pid as number;

    // Nothing relayed yet: another endpoint may still be asked, so the prompt is there.
    expect(await stringsHolding(pid, snapshots, marker)).toBeGreaterThanOrEqual(STREAMS);

    upstream.sendFirstTokens();
    const streams = await opening;
    // Read up to the first token without ending the iteration, which would cancel the stream.
    const firsts = await Promise.all(
      streams.map(async (stream) => {
        const chunks = stream[Symbol.asyncIterator]();
        for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
          const text = next.value.choices[0]?.delta.content;
          if (text) return text;
        }
        return undefined;
      }),
    );
    expect(firsts).toEqual(Array.from({ length: STREAMS }, () => 'first'));
    // Each stream is still open upstream, and nothing in llm-proxy holds its prompt.
    expect(await stringsHolding(pid, snapshots, marker)).toBe(0);
    expect(upstream.open.filter((response) => !response.destroyed)).toHaveLength(STREAMS);
    for (const stream of streams) stream.controller.abort();
  });
});
