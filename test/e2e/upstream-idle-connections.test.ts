import type { Socket } from 'node:net';
import OpenAI from 'openai';
import { deltaChunk, replyWithChunks, startScriptedOpenAIUpstream, type ScriptedOpenAIUpstream } from '../helpers/scripted-openai-upstream.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';

const IDLE_MS = 1_500;
const CHATS = 3;

interface Connection {
  /** When the answer on it was fully written. */
  answeredAt: number;
  /** When it closed, and whether llm-proxy ended it (the server never does: it offers ten minutes). */
  closed: Promise<{ at: number; endedByLlmProxy: boolean }>;
}

/**
 * llm-proxy's upstream pools keep an idle connection for `LLM_PROXY_UPSTREAM_IDLE_MS`, however long the
 * provider offers to keep it: the sockets a burst of streams opened must not outlive it by minutes.
 */
describe('idle upstream connections', () => {
  let upstream: ScriptedOpenAIUpstream;
  let services: RunningServices;
  let client: OpenAI;

  beforeAll(async () => {
    upstream = await startScriptedOpenAIUpstream(['model-idle'], { keepAliveMs: 600_000 });
    services = await startServices({
      LLM_PROXY_ENDPOINT_IDLE_URL: upstream.url,
      LLM_PROXY_ENDPOINT_IDLE_MODELS: 'model-idle',
      LLM_PROXY_UPSTREAM_IDLE_MS: String(IDLE_MS),
      LLM_PROXY_LOCAL_DISCOVERY: '0',
    });
    client = new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: 'unused', maxRetries: 0 });
  });

  afterAll(async () => {
    await services?.stop();
    await upstream?.close();
  });

  it('closes them after the configured idle time although the provider would keep them ten minutes', async () => {
    const connections = new Map<Socket, Connection>();
    const answer = replyWithChunks([deltaChunk({ role: 'assistant', content: 'idle' }), deltaChunk({}, 'stop')]);
    let arrived = 0;
    let everyoneArrived: () => void = () => {};
    const allArrived = new Promise<void>((resolve) => (everyoneArrived = resolve));
    upstream.reply = async (request, response) => {
      // Held until every chat is in, so each has a connection of its own.
      arrived += 1;
      if (arrived === CHATS) everyoneArrived();
      await allArrived;
      const socket = response.socket!;
      let endedByLlmProxy = false;
      socket.once('end', () => (endedByLlmProxy = true));
      const connection: Connection = {
        answeredAt: Infinity,
        closed: new Promise((resolve) => socket.once('close', () => resolve({ at: performance.now(), endedByLlmProxy }))),
      };
      connections.set(socket, connection);
      response.once('finish', () => (connection.answeredAt = performance.now()));
      await answer(request, response);
    };
    const texts = await Promise.all(
      Array.from({ length: CHATS }, async () => {
        let text = '';
        for await (const chunk of await client.chat.completions.create({ model: 'model-idle', messages: [{ role: 'user', content: 'hi' }], stream: true })) {
          text += chunk.choices[0]?.delta.content ?? '';
        }
        return text;
      }),
    );
    expect(texts).toEqual(Array(CHATS).fill('idle'));
    expect(connections.size).toBe(CHATS);
    for (const connection of connections.values()) {
      const closed = await connection.closed;
      expect(closed.endedByLlmProxy).toBe(true);
      // Kept for reuse meanwhile: closed no sooner than the idle time after its answer (less a timer's slack).
      expect(closed.at - connection.answeredAt).toBeGreaterThanOrEqual(IDLE_MS - 100);
    }
  });
});
