import Anthropic from '@anthropic-ai/sdk';
import { anthropicStreamProblems, parseAnthropicSse } from '../helpers/anthropic-sse-grammar.js';
import { FAMILIES, startCrossFamily, type CrossFamily } from '../helpers/start-cross-family.js';

/** What the Anthropic SDK throws for a non-2xx answer, or a marker when the call succeeded. */
function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error('the call succeeded'),
    (error: unknown) => error,
  );
}

describe('cross-family matrix: the official @anthropic-ai/sdk against OpenAI, Anthropic, Gemini and Ollama upstreams', () => {
  let matrix: CrossFamily;
  let client: Anthropic;

  beforeAll(async () => {
    matrix = await startCrossFamily();
    client = new Anthropic({ baseURL: matrix.services.gatewayUrl, apiKey: 'unused', maxRetries: 0 });
  });

  afterAll(async () => {
    await matrix?.stop();
  });

  describe.each(FAMILIES)('$family upstream', ({ family, model, failingModel }) => {
    it('streams the recorded text and its token counts in the Messages event grammar', async () => {
      const { recorded } = matrix.upstream[family];
      const message = await client.messages.stream({ model, max_tokens: 256, messages: [{ role: 'user', content: 'Say something' }] }).finalMessage();
      expect(message.content).toEqual([{ type: 'text', text: recorded.text }]);
      expect(message.stop_reason).toBe('end_turn');
      // Anthropic counts cached input apart; none of these recordings has any.
      expect(message.usage).toMatchObject({ input_tokens: recorded.usage.inputTokens, output_tokens: recorded.usage.outputTokens });

      const raw = await fetch(`${matrix.services.gatewayUrl}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
        body: JSON.stringify({ model, max_tokens: 256, stream: true, messages: [{ role: 'user', content: 'Say something' }] }),
      });
      expect(anthropicStreamProblems(parseAnthropicSse(await raw.text()))).toEqual([]);
    });

    it('completes a tool round trip: a streamed tool_use, then the answer to its tool_result', async () => {
      const { recorded } = matrix.upstream[family];
      const tools: Anthropic.Tool[] = [
        { name: recorded.tool.name, description: recorded.tool.description, input_schema: recorded.tool.parameters as Anthropic.Tool.InputSchema },
      ];
      const question: Anthropic.MessageParam = { role: 'user', content: 'Use the tool, please.' };
      const turn = await client.messages.stream({ model, max_tokens: 256, tools, messages: [question] }).finalMessage();
      expect(turn.stop_reason).toBe('tool_use');
      const uses = turn.content.filter((block) => block.type === 'tool_use');
      expect(uses).toEqual([
        { type: 'tool_use', id: expect.stringMatching(/^[a-zA-Z0-9_-]+$/), name: recorded.tool.name, input: recorded.toolArguments },
      ]);

      // The fake refuses a tool result its provider could not match to the call, so the recorded text proves the pairing.
      const answer = await client.messages.create({
        model,
        max_tokens: 256,
        tools,
        messages: [
          question,
          { role: 'assistant', content: turn.content },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: uses[0]!.id, content: '{"result": 50}' }] },
        ],
      });
      expect(answer.content).toEqual([{ type: 'text', text: recorded.text }]);
      expect(answer.stop_reason).toBe('end_turn');
    });

    it("relays the provider's failure as a 503 overloaded_error in Anthropic's shape", async () => {
      const failure = await failureOf(
        client.messages.create({ model: failingModel, max_tokens: 64, stream: true, messages: [{ role: 'user', content: 'hi' }] }),
      );
      expect(failure).toBeInstanceOf(Anthropic.InternalServerError);
      expect(failure).toMatchObject({
        status: 503,
        error: { type: 'error', error: { type: 'overloaded_error', message: matrix.upstream[family].recorded.failureMessage } },
      });
    });
  });

  it('answers an unknown model with a 404 not_found_error, calling no upstream', async () => {
    const before = FAMILIES.map(({ family }) => matrix.upstream[family].requests.length);
    const failure = await failureOf(
      client.messages.create({ model: 'no-such-model', max_tokens: 64, stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    );
    expect(failure).toBeInstanceOf(Anthropic.NotFoundError);
    expect(failure).toMatchObject({ status: 404, error: { type: 'error', error: { type: 'not_found_error' } } });
    expect(FAMILIES.map(({ family }) => matrix.upstream[family].requests.length)).toEqual(before);
  });
});
