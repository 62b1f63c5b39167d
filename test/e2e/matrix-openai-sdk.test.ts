import OpenAI from 'openai';
import { FAMILIES, startCrossFamily, type CrossFamily } from '../helpers/start-cross-family.js';

/** What the openai SDK throws for a non-2xx answer, or a marker when the call succeeded. */
function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error('the call succeeded'),
    (error: unknown) => error,
  );
}

describe('cross-family matrix: the official openai SDK against OpenAI, Anthropic, Gemini and Ollama upstreams', () => {
  let matrix: CrossFamily;
  let client: OpenAI;

  beforeAll(async () => {
    matrix = await startCrossFamily();
    client = new OpenAI({ baseURL: `${matrix.services.gatewayUrl}/v1`, apiKey: 'unused', maxRetries: 0 });
  });

  afterAll(async () => {
    await matrix?.stop();
  });

  describe.each(FAMILIES)('$family upstream', ({ family, model, failingModel }) => {
    it('streams the recorded text and its token counts', async () => {
      const { recorded } = matrix.upstream[family];
      const stream = await client.chat.completions.create({
        model,
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: 'Say something' }],
      });
      const chunks = [];
      for await (const chunk of stream) chunks.push(chunk);
      expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(recorded.text);
      expect(chunks.flatMap((chunk) => chunk.choices.map((choice) => choice.finish_reason)).filter(Boolean)).toEqual(['stop']);
      expect(chunks.at(-1)?.usage).toMatchObject({
        prompt_tokens: recorded.usage.inputTokens,
        completion_tokens: recorded.usage.outputTokens,
        total_tokens: recorded.usage.inputTokens + recorded.usage.outputTokens,
      });
    });

    it('completes a tool round trip: a streamed call, then the answer to its result', async () => {
      const { recorded } = matrix.upstream[family];
      const tools: OpenAI.ChatCompletionTool[] = [{ type: 'function', function: recorded.tool }];
      const question: OpenAI.ChatCompletionMessageParam = { role: 'user', content: 'Use the tool, please.' };
      const turn = await client.chat.completions.stream({ model, tools, messages: [question] }).finalChatCompletion();
      const choice = turn.choices[0]!;
      expect(choice.finish_reason).toBe('tool_calls');
      expect(choice.message.tool_calls).toHaveLength(1);
      const call = choice.message.tool_calls![0]!;
      expect(call.type === 'function' && call.function.name).toBe(recorded.tool.name);
      expect(JSON.parse(call.type === 'function' ? call.function.arguments : '')).toEqual(recorded.toolArguments);
      expect(call.id).toMatch(/^[\w-]+$/);

      // The fake refuses a tool result its provider could not match to the call (Anthropic by id,
      // Gemini by name, OpenAI by id, Ollama by position), so the recorded text proves the pairing.
      const answer = await client.chat.completions.create({
        model,
        tools,
        messages: [
          question,
          { role: 'assistant', content: choice.message.content, tool_calls: [call] },
          { role: 'tool', tool_call_id: call.id, content: '{"result": 50}' },
        ],
      });
      expect(answer.choices[0]?.message.content).toBe(recorded.text);
      expect(answer.choices[0]?.finish_reason).toBe('stop');
    });

    it("relays the provider's failure as a 503 in OpenAI's shape", async () => {
      const failure = await failureOf(
        client.chat.completions.create({ model: failingModel, stream: true, messages: [{ role: 'user', content: 'hi' }] }),
      );
      expect(failure).toBeInstanceOf(OpenAI.InternalServerError);
      expect(failure).toMatchObject({ status: 503, error: { type: 'server_error', message: matrix.upstream[family].recorded.failureMessage } });
    });
  });

  it('answers an unknown model with a 404 in OpenAI shape, calling no upstream', async () => {
    const before = FAMILIES.map(({ family }) => matrix.upstream[family].requests.length);
    const failure = await failureOf(
      client.chat.completions.create({ model: 'no-such-model', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    );
    expect(failure).toBeInstanceOf(OpenAI.NotFoundError);
    expect(failure).toMatchObject({ status: 404, error: { type: 'invalid_request_error', code: 'model_not_found' } });
    expect(FAMILIES.map(({ family }) => matrix.upstream[family].requests.length)).toEqual(before);
  });
});
