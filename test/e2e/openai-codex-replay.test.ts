import { readFileSync } from 'node:fs';
import { parseResponsesSse, responsesStreamProblems } from '../helpers/responses-sse-grammar.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';

interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

function recorded(name: string): RecordedRequest {
  return JSON.parse(readFileSync(new URL(`../fixtures/clients/codex/${name}`, import.meta.url), 'utf8')) as RecordedRequest;
}

interface OutputItem {
  type: string;
  name?: string;
  arguments?: string;
  call_id?: string;
  content?: Array<{ type: string; text: string }>;
  summary?: Array<{ type: string; text: string }>;
}

/**
 * Replays the requests Codex CLI sent to the gateway (see test/fixtures/clients/codex/README.md) with
 * their recorded headers, against the mock provider, and reads the answers as Codex does.
 */
describe('Codex CLI requests replayed through both services', () => {
  let services: RunningServices;

  beforeAll(async () => {
    services = await startServices();
  });

  afterAll(async () => {
    await services?.stop();
  });

  async function replay(name: string): Promise<Response> {
    const request = recorded(name);
    return fetch(`${services.gatewayUrl}${request.path}`, { method: request.method, headers: request.headers, body: JSON.stringify(request.body) });
  }

  async function streamedOutput(name: string): Promise<OutputItem[]> {
    const answer = await replay(name);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = parseResponsesSse(await answer.text());
    expect(responsesStreamProblems(events)).toEqual([]);
    const last = events.at(-1)!;
    expect(last.event).toBe('response.completed');
    return (last.data.response as { output: OutputItem[] }).output;
  }

  it('answers the first turn (namespace tools, reasoning summary asked, store: false) with reasoning and a tool call', async () => {
    const output = await streamedOutput('exec-reasoning-turn-1.request.json');
    expect(output.map((item) => item.type)).toEqual(['reasoning', 'function_call']);
    expect(output[0]?.summary).toEqual([{ type: 'summary_text', text: 'Considering the request: List the files here' }]);
    expect(output[1]).toMatchObject({ name: 'exec_command', call_id: expect.stringMatching(/^call_/) });
    expect(JSON.parse(output[1]!.arguments!)).toEqual({ cmd: 'mock' });
  });

  it('answers the second turn, which replays the reasoning, the call and its output, with text', async () => {
    const output = await streamedOutput('exec-reasoning-turn-2.request.json');
    expect(output.map((item) => item.type)).toEqual(['reasoning', 'message']);
    expect(output[1]?.content?.[0]?.text).toMatch(/^Mock reply to: List the files here/);
  });

  it("serves Codex's default configuration, setting its built-in web_search tool aside and saying so", async () => {
    const answer = await replay('exec-default-config.request.json');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-nachos-ignored-fields')).toBe('tools[type=web_search]');
    const events = parseResponsesSse(await answer.text());
    expect(responsesStreamProblems(events)).toEqual([]);
    expect(events.at(-1)?.event).toBe('response.completed');
  });
});
