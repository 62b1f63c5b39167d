import { Ollama, type Message, type Tool, type ToolCall } from 'ollama';
import { FAMILIES, startCrossFamily, type CrossFamily } from '../helpers/start-cross-family.js';

/** What ollama-js throws for a non-2xx answer (`ResponseError`), or a marker when the call succeeded. */
function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error('the call succeeded'),
    (error: unknown) => error,
  );
}

describe('cross-family matrix: the official ollama SDK against OpenAI, Anthropic, Gemini and Ollama upstreams', () => {
  let matrix: CrossFamily;
  let ollama: Ollama;

  beforeAll(async () => {
    matrix = await startCrossFamily();
    ollama = new Ollama({ host: matrix.services.gatewayUrl });
  });

  afterAll(async () => {
    await matrix?.stop();
  });

  describe.each(FAMILIES)('$family upstream', ({ family, model, failingModel }) => {
    it('streams the recorded text and its token counts as NDJSON parts', async () => {
      const { recorded } = matrix.upstream[family];
      const stream = await ollama.chat({ model, stream: true, messages: [{ role: 'user', content: 'Say something' }] });
      const parts = [];
      for await (const part of stream) parts.push(part);
      expect(parts.map((part) => part.message.content).join('')).toBe(recorded.text);
      expect(parts.filter((part) => part.done)).toEqual([
        expect.objectContaining({ done_reason: 'stop', prompt_eval_count: recorded.usage.inputTokens, eval_count: recorded.usage.outputTokens }),
      ]);
      expect(parts.at(-1)?.done).toBe(true);
    });

    it('completes a tool round trip: a streamed call, then the answer to its result', async () => {
      const { recorded } = matrix.upstream[family];
      const tools: Tool[] = [{ type: 'function', function: recorded.tool as Tool['function'] }];
      const question: Message = { role: 'user', content: 'Use the tool, please.' };
      const stream = await ollama.chat({ model, stream: true, tools, messages: [question] });
      let content = '';
      const calls: ToolCall[] = [];
      for await (const part of stream) {
        content += part.message.content;
        calls.push(...(part.message.tool_calls ?? []));
      }
      expect(calls).toEqual([
        { id: expect.any(String), function: expect.objectContaining({ name: recorded.tool.name, arguments: recorded.toolArguments }) },
      ]);

      // Sent back as Ollama's own API writes a history, without call ids: the gateway pairs the result
      // with its call by position and name. The fake refuses a tool result its provider could not
      // match to the call (by id, name or position), so the recorded text proves the pairing.
      const history = calls.map((call) => ({ function: call.function }));
      const answer = await ollama.chat({
        model,
        tools,
        messages: [
          question,
          { role: 'assistant', content, tool_calls: history },
          { role: 'tool', content: '{"result": 50}', tool_name: recorded.tool.name },
        ],
      });
      expect(answer.message.content).toBe(recorded.text);
      expect(answer.done_reason).toBe('stop');
    });

    it("relays the provider's failure as a 503 with Ollama's error body", async () => {
      const failure = await failureOf(ollama.chat({ model: failingModel, stream: true, messages: [{ role: 'user', content: 'hi' }] }));
      expect(failure).toMatchObject({ name: 'ResponseError', status_code: 503, error: matrix.upstream[family].recorded.failureMessage });
    });
  });

  it('answers an unknown model with a 404 ResponseError, calling no upstream', async () => {
    const before = FAMILIES.map(({ family }) => matrix.upstream[family].requests.length);
    const failure = await failureOf(ollama.chat({ model: 'no-such-model', stream: true, messages: [{ role: 'user', content: 'hi' }] }));
    expect(failure).toMatchObject({ name: 'ResponseError', status_code: 404, error: expect.stringContaining('no-such-model') });
    expect(FAMILIES.map(({ family }) => matrix.upstream[family].requests.length)).toEqual(before);
  });
});
