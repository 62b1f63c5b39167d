import { readFileSync } from 'node:fs';
import type { ChatRequest, Message } from '@nachos/plugin-sdk';
import { convertToGeminiRequest } from './convert-to-gemini-request.js';
import { SKIP_THOUGHT_SIGNATURE_VALIDATOR } from './convert-to-gemini-contents.js';

const FIXTURES = new URL('../../../test/fixtures/protocols/gemini/', import.meta.url);

function json(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as Record<string, unknown>;
}

const text = (value: string) => ({ type: 'text' as const, text: value });

const noImages = {
  loadImage: (url: string) => Promise.reject(new Error(`unexpected image download: ${url}`)),
};

function request(overrides: Partial<ChatRequest> = {}): ChatRequest {
  return { model: 'gemini-2.5-flash', messages: [{ role: 'user', content: [text('why is the sky blue?')] }], sampling: {}, stream: true, ...overrides };
}

describe('convertToGeminiRequest: the conversation', () => {
  it('writes the recorded js-genai body for a plain question', async () => {
    expect(await convertToGeminiRequest(request(), noImages)).toEqual(json('generate-text.request.json'));
  });

  it('replays a function call with the recorded shape and its tool declared as JSON Schema', async () => {
    const recorded = json('functionresponse-followup.request.json');
    const messages: Message[] = [
      { role: 'user', content: [text('what is the result of 100/2')] },
      { role: 'assistant', content: [{ type: 'tool-call', id: 'call_abc', name: 'customDivide', arguments: '{"denominator":2,"numerator":100}' }] },
      { role: 'user', content: [text('what is the result of 50/2?')] },
    ];
    const schema = { type: 'object', properties: { denominator: { type: 'number' }, numerator: { type: 'number' } } };
    const body = await convertToGeminiRequest(
      request({ model: 'gemini-2.0-flash', messages, tools: [{ name: 'customDivide', description: 'Custom divide function', parameters: schema }] }),
      noImages,
    );
    expect(body.contents).toEqual(recorded['contents']);
    expect(body.tools).toEqual([{ functionDeclarations: [{ name: 'customDivide', description: 'Custom divide function', parametersJsonSchema: schema }] }]);
  });

  it('hoists system and developer messages into systemInstruction', async () => {
    const body = await convertToGeminiRequest(
      request({ messages: [{ role: 'system', content: [text('Be brief.')] }, { role: 'developer', content: [text('Use French.')] }, { role: 'user', content: [text('Hi')] }] }),
      noImages,
    );
    expect(body.systemInstruction).toEqual({ parts: [{ text: 'Be brief.' }, { text: 'Use French.' }] });
    expect(body.contents).toEqual([{ role: 'user', parts: [{ text: 'Hi' }] }]);
  });

  it('answers calls by function name, from history or the result, wrapping results that are not objects, responses first', async () => {
    const messages: Message[] = [
      { role: 'user', content: [text('Weather and time in Paris?')] },
      {
        role: 'assistant',
        content: [
          { type: 'tool-call', id: 'call_1', name: 'weather', arguments: '{"city":"Paris"}', signature: 'sig-1' },
          { type: 'tool-call', id: 'call_2', name: 'clock', arguments: '{}' },
        ],
      },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', content: [text('{"celsius":18}')] }] },
      { role: 'user', content: [text('Quickly, please.')] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_2', toolName: 'clock', content: [text('14:05')], isError: false }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_3', toolName: 'calendar', content: [text('not allowed')], isError: true }] },
    ];
    const body = await convertToGeminiRequest(request({ messages }), noImages);
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ text: 'Weather and time in Paris?' }] },
      {
        role: 'model',
        parts: [
          { functionCall: { name: 'weather', args: { city: 'Paris' } }, thoughtSignature: 'sig-1' },
          { functionCall: { name: 'clock', args: {} } },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'weather', response: { celsius: 18 } } },
          { functionResponse: { name: 'clock', response: { content: '14:05' } } },
          { functionResponse: { name: 'calendar', response: { error: 'not allowed' } } },
          { text: 'Quickly, please.' },
        ],
      },
    ]);
  });

  it('refuses a tool result whose tool cannot be named, before any upstream call', async () => {
    const orphan = request({ messages: [{ role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_x', content: [text('1')] }] }] });
    await expect(convertToGeminiRequest(orphan, noImages)).rejects.toMatchObject({ kind: 'invalid_request' });
  });

  it('gives the first unsigned call of a Gemini 3 turn the documented sentinel, and replays reasoning', async () => {
    const messages: Message[] = [
      { role: 'user', content: [text('Go')] },
      {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: 'Plan first.', signature: 'thought-sig' },
          { type: 'tool-call', id: 'call_1', name: 'a', arguments: '{}' },
          { type: 'tool-call', id: 'call_2', name: 'b', arguments: '{}' },
          text('Done.'),
          { type: 'reasoning', text: '', signature: 'tail-sig' },
        ],
      },
    ];
    const gemini3 = await convertToGeminiRequest(request({ model: 'gemini-3-pro-preview', messages }), noImages);
    expect(gemini3.contents[1]?.parts).toEqual([
      { text: 'Plan first.', thought: true, thoughtSignature: 'thought-sig' },
      { functionCall: { name: 'a', args: {} }, thoughtSignature: SKIP_THOUGHT_SIGNATURE_VALIDATOR },
      { functionCall: { name: 'b', args: {} } },
      { text: 'Done.' },
      { text: '', thoughtSignature: 'tail-sig' },
    ]);
    const gemini25 = await convertToGeminiRequest(request({ messages }), noImages);
    expect(gemini25.contents[1]?.parts[1]).toEqual({ functionCall: { name: 'a', args: {} } });
  });

  it('inlines base64 and data URL images, downloads http(s) images and passes gs:// and Gemini file URIs on', async () => {
    const downloads: string[] = [];
    const body = await convertToGeminiRequest(
      request({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBOR' } },
              { type: 'image', source: { kind: 'url', url: 'data:image/jpeg;base64,/9j/4A' } },
              { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.webp' } },
              { type: 'image', source: { kind: 'url', url: 'gs://bucket/dog.png' } },
              { type: 'image', source: { kind: 'url', url: 'https://generativelanguage.googleapis.com/v1beta/files/abc123' } },
            ],
          },
        ],
      }),
      {
        loadImage: (url) => {
          downloads.push(url);
          return Promise.resolve({ mimeType: 'image/webp', data: 'UklGR' });
        },
      },
    );
    expect(downloads).toEqual(['https://example.com/cat.webp']);
    expect(body.contents[0]?.parts).toEqual([
      { inlineData: { mimeType: 'image/png', data: 'iVBOR' } },
      { inlineData: { mimeType: 'image/jpeg', data: '/9j/4A' } },
      { inlineData: { mimeType: 'image/webp', data: 'UklGR' } },
      { fileData: { fileUri: 'gs://bucket/dog.png' } },
      { fileData: { fileUri: 'https://generativelanguage.googleapis.com/v1beta/files/abc123' } },
    ]);
  });
});

describe('convertToGeminiRequest: configuration', () => {
  it('maps sampling, stop sequences and a JSON schema into generationConfig', async () => {
    const body = await convertToGeminiRequest(
      request({
        sampling: { maxTokens: 500, temperature: 1.5, topP: 0.9, topK: 32, stop: ['END'], seed: 7, presencePenalty: 0.1, frequencyPenalty: 0.2 },
        responseFormat: { type: 'json_schema', name: 'answer', schema: { type: 'object', properties: { answer: { type: 'string' } } } },
      }),
      noImages,
    );
    expect(body.generationConfig).toEqual({
      maxOutputTokens: 500,
      temperature: 1.5,
      topP: 0.9,
      topK: 32,
      stopSequences: ['END'],
      seed: 7,
      presencePenalty: 0.1,
      frequencyPenalty: 0.2,
      responseMimeType: 'application/json',
      responseJsonSchema: { type: 'object', properties: { answer: { type: 'string' } } },
    });
    const jsonObject = await convertToGeminiRequest(request({ responseFormat: { type: 'json_object' } }), noImages);
    expect(jsonObject.generationConfig).toEqual({ responseMimeType: 'application/json' });
  });

  it.each([
    ['gemini-2.5-flash', { budgetTokens: 2000 }, { thinkingBudget: 2000, includeThoughts: true }],
    ['gemini-2.5-flash', { budgetTokens: 0 }, { thinkingBudget: 0 }],
    ['gemini-2.5-pro', { effort: 'medium' }, { thinkingBudget: 8192, includeThoughts: true }],
    ['gemini-2.5-flash', { effort: 'none' }, { thinkingBudget: 0 }],
    ['gemini-3-pro-preview', { effort: 'high' }, { thinkingLevel: 'high', includeThoughts: true }],
    ['gemini-3-pro-preview', { effort: 'minimal' }, { thinkingLevel: 'low', includeThoughts: true }],
    ['gemini-3-pro-preview', { effort: 'none' }, { thinkingLevel: 'low', includeThoughts: false }],
  ] as const)('on %s maps reasoning %j to thinkingConfig', async (model, reasoning, thinkingConfig) => {
    const body = await convertToGeminiRequest(request({ model, reasoning }), noImages);
    expect(body.generationConfig.thinkingConfig).toEqual(thinkingConfig);
  });

  it.each([
    [{ type: 'auto' }, { mode: 'AUTO' }],
    [{ type: 'none' }, { mode: 'NONE' }],
    [{ type: 'required' }, { mode: 'ANY' }],
    [{ type: 'tool', name: 'calc' }, { mode: 'ANY', allowedFunctionNames: ['calc'] }],
  ] as const)('maps tool choice %j to functionCallingConfig %j', async (toolChoice, functionCallingConfig) => {
    const body = await convertToGeminiRequest(request({ tools: [{ name: 'calc', parameters: { type: 'object' } }], toolChoice }), noImages);
    expect(body.toolConfig).toEqual({ functionCallingConfig });
  });

  it('merges Google-family passthrough underneath, keeping built-in tools and generation settings', async () => {
    const body = await convertToGeminiRequest(
      request({
        tools: [{ name: 'calc', parameters: { type: 'object' } }],
        sampling: { temperature: 0.3 },
        passthrough: {
          family: 'google',
          fields: {
            safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }],
            tools: [{ googleSearch: {} }],
            generationConfig: { responseModalities: ['TEXT'], temperature: 0.9 },
            contents: 'ignored',
          },
        },
      }),
      noImages,
    );
    expect(body.safetySettings).toEqual([{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }]);
    expect(body.tools).toEqual([{ googleSearch: {} }, { functionDeclarations: [{ name: 'calc', parametersJsonSchema: { type: 'object' } }] }]);
    expect(body.generationConfig).toEqual({ responseModalities: ['TEXT'], temperature: 0.3 });
    expect(body.contents).toEqual([{ role: 'user', parts: [{ text: 'why is the sky blue?' }] }]);
    const foreign = await convertToGeminiRequest(request({ passthrough: { family: 'openai', fields: { logprobs: true } } }), noImages);
    expect(foreign).not.toHaveProperty('logprobs');
  });
});
