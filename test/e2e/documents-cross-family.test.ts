import OpenAI from 'openai';
import { startCrossFamily, type CrossFamily } from '../helpers/start-cross-family.js';

/** A minimal PDF, as an application would read it from disk. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n').toString('base64');

const ASK: OpenAI.ChatCompletionMessageParam = {
  role: 'user',
  content: [
    { type: 'text', text: 'Summarise this report.' },
    { type: 'file', file: { filename: 'report.pdf', file_data: `data:application/pdf;base64,${PDF}` } },
  ],
};

describe('documents (PDF) from the OpenAI SDK to every provider family', () => {
  let cross: CrossFamily;
  let client: OpenAI;

  beforeAll(async () => {
    cross = await startCrossFamily();
    client = new OpenAI({ baseURL: `${cross.services.gatewayUrl}/v1`, apiKey: 'unused', maxRetries: 0 });
  });

  afterAll(async () => {
    await cross?.stop();
  });

  it('reaches Anthropic as a base64 document block titled with the file name', async () => {
    const completion = await client.chat.completions.create({ model: 'claude-sonnet-4-5', messages: [ASK] });
    expect(completion.choices[0]!.message.content).toBe(cross.upstream.anthropic.recorded.text);
    const body = cross.upstream.anthropic.requests.at(-1)!.json() as { messages: Array<{ content: unknown[] }> };
    expect(body.messages[0]!.content).toEqual([
      { type: 'text', text: 'Summarise this report.' },
      { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: PDF }, title: 'report.pdf' },
    ]);
  });

  it('reaches Gemini as inlineData of application/pdf', async () => {
    const completion = await client.chat.completions.create({ model: 'gemini-2.5-flash', messages: [ASK] });
    expect(completion.choices[0]!.message.content).toBe(cross.upstream.google.recorded.text);
    const body = cross.upstream.google.requests.at(-1)!.json() as { contents: Array<{ parts: unknown[] }> };
    expect(body.contents[0]!.parts).toEqual([{ text: 'Summarise this report.' }, { inlineData: { mimeType: 'application/pdf', data: PDF } }]);
  });

  it('reaches Anthropic from the Responses API as an input_file too', async () => {
    const response = await client.responses.create({
      model: 'claude-sonnet-4-5',
      input: [
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'Summarise this report.' },
            { type: 'input_file', filename: 'report.pdf', file_data: `data:application/pdf;base64,${PDF}` },
          ],
        },
      ],
    });
    expect(response.output_text).toBe(cross.upstream.anthropic.recorded.text);
    const body = cross.upstream.anthropic.requests.at(-1)!.json() as { messages: Array<{ content: unknown[] }> };
    expect(body.messages[0]!.content).toEqual([
      { type: 'text', text: 'Summarise this report.' },
      { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: PDF }, title: 'report.pdf' },
    ]);
  });

  it('reaches OpenAI as a file part with its data URL and name', async () => {
    await client.chat.completions.create({ model: 'gpt-4o', messages: [ASK] });
    const body = cross.upstream.openai.requests.at(-1)!.json() as { messages: Array<{ content: unknown }> };
    expect(body.messages[0]!.content).toEqual([
      { type: 'text', text: 'Summarise this report.' },
      { type: 'file', file: { file_data: `data:application/pdf;base64,${PDF}`, filename: 'report.pdf' } },
    ]);
  });

  it('is refused with a 400 naming the limitation where the provider reads no documents, without an upstream call', async () => {
    const before = cross.upstream.ollama.requests.length;
    const error = await client.chat.completions.create({ model: 'llama3.2', messages: [ASK] }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as Error).message).toContain('read no documents');
    expect(cross.upstream.ollama.requests.length).toBe(before);
  });

  it("refuses a file kept in OpenAI's storage with a 400 naming file_id", async () => {
    const error = await client.chat.completions
      .create({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: [{ type: 'file', file: { file_id: 'file-abc' } }] }] })
      .then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('messages[0].content[0].file.file_id');
  });
});
