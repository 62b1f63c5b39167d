import OpenAI from 'openai';
import { deltaChunk, replyWithChunks, startScriptedOpenAIUpstream, type ScriptedOpenAIUpstream } from '../helpers/scripted-openai-upstream.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';

/** The sum of every series of a metric in Prometheus' text format (labels ignored). */
function metricSum(text: string, name: string): number {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name} `) || line.startsWith(`${name}{`))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

/**
 * llm-proxy's metrics count the traffic between the services (HTTP/2 streams opened, protobuf messages each
 * way) and the canonical events it relays: the machine-independent figures the benchmark prints per answer.
 */
describe('seam metrics', () => {
  let upstream: ScriptedOpenAIUpstream;
  let services: RunningServices;

  beforeAll(async () => {
    upstream = await startScriptedOpenAIUpstream(['model-a']);
    upstream.reply = replyWithChunks([deltaChunk({ role: 'assistant', content: '' }), deltaChunk({ content: 'ok' }), deltaChunk({}, 'stop')]);
    services = await startServices({ LLM_PROXY_ENDPOINT_UP_URL: upstream.url, LLM_PROXY_ENDPOINT_UP_MODELS: 'model-a' });
  });

  afterAll(async () => {
    await services?.stop();
    await upstream?.close();
  });

  it('count the streams, messages and events of the answers relayed', async () => {
    const scrape = async () => (await fetch(`${services.llmProxyHttpUrl}/metrics`)).text();
    const before = await scrape();
    const client = new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: 'x', maxRetries: 0 });
    const answers = 3;
    for (let index = 0; index < answers; index += 1) {
      const answer = await client.chat.completions.create({ model: 'model-a', messages: [{ role: 'user', content: 'hi' }] });
      expect(answer.choices[0]?.message.content).toBe('ok');
    }
    const after = await scrape();
    const grew = (name: string) => metricSum(after, name) - metricSum(before, name);

    expect(metricSum(after, 'nachos_llm_proxy_grpc_streams_opened_total')).toBeGreaterThanOrEqual(1);
    expect(after).toMatch(/^nachos_llm_proxy_grpc_messages_total\{direction="received"\} \d+$/m);
    expect(after).toMatch(/^nachos_llm_proxy_grpc_messages_total\{direction="sent"\} \d+$/m);
    // Each answer takes at least one message each way, whether it has a gRPC call of its own or shares a stream.
    expect(grew('nachos_llm_proxy_grpc_messages_total')).toBeGreaterThanOrEqual(2 * answers);
    // At least a start, the text and the finish per answer.
    expect(grew('nachos_llm_proxy_chat_events_total')).toBeGreaterThanOrEqual(3 * answers);
  });
});
