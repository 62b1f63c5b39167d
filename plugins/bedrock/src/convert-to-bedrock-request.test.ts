import { ProviderError, type ChatRequest, type Message } from '@nachos/plugin-sdk';
import { convertToBedrockRequest } from './convert-to-bedrock-request.js';

const CLAUDE = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const NOVA = 'amazon.nova-pro-v1:0';

function request(overrides: Partial<ChatRequest> = {}): ChatRequest {
  return {
    model: CLAUDE,
    messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }],
    sampling: {},
    stream: true,
    ...overrides,
  };
}

const weatherTool = { name: 'weather', description: 'Current weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } };

const toolLoop: Message[] = [
  { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
  { role: 'user', content: [{ type: 'text', text: 'Weather in Lyon and Oslo?' }] },
  {
    role: 'assistant',
    content: [
      { type: 'reasoning', text: 'Two cities.', signature: 'sig-1' },
      { type: 'reasoning', text: 'unsigned, from another provider' },
      { type: 'text', text: 'Checking.' },
      { type: 'tool-call', id: 'call_1', name: 'weather', arguments: '{"city":"Lyon"}' },
      { type: 'tool-call', id: 'functions.weather:2', name: 'weather', arguments: '' },
    ],
  },
  { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', toolName: 'weather', content: [{ type: 'text', text: '18C' }] }] },
  { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'functions.weather:2', content: [], isError: true }] },
  { role: 'user', content: [{ type: 'text', text: 'And?' }] },
];

describe('convertToBedrockRequest', () => {
  it('sends the bare minimum for a plain question: messages only, the model stays in the path', () => {
    expect(convertToBedrockRequest(request({ model: NOVA }))).toEqual({ messages: [{ role: 'user', content: [{ text: 'Hello' }] }] });
  });

  it('gives Claude a cache point after each breakpoint, its beta features and its documents; other models no cache points', () => {
    const cachedRequest = request({
      model: CLAUDE,
      anthropicBeta: ['context-1m-2025-08-07'],
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Guide', cacheControl: { type: 'ephemeral' } }] },
        {
          role: 'user',
          content: [
            { type: 'document', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBERi0=' }, filename: 'Q3 report.pdf', cacheControl: { type: 'ephemeral' } },
            { type: 'document', source: { kind: 'text', text: 'Notes' } },
            { type: 'text', text: 'Compare them.' },
          ],
        },
      ],
    });
    const body = convertToBedrockRequest(cachedRequest);
    expect(body.system).toEqual([{ text: 'Guide' }, { cachePoint: { type: 'default' } }]);
    expect(body.messages[0]!.content).toEqual([
      { document: { format: 'pdf', name: 'Q3 report', source: { bytes: 'JVBERi0=' } } },
      { cachePoint: { type: 'default' } },
      { document: { format: 'txt', name: 'document 2', source: { bytes: Buffer.from('Notes').toString('base64') } } },
      { text: 'Compare them.' },
    ]);
    expect(body.additionalModelRequestFields).toEqual({ anthropic_beta: ['context-1m-2025-08-07'] });
    const nova = convertToBedrockRequest({ ...cachedRequest, model: NOVA });
    expect(nova.system).toEqual([{ text: 'Guide' }]);
    expect(nova.additionalModelRequestFields).toBeUndefined();
  });

  it('hoists system and developer messages into system, in order', () => {
    const body = convertToBedrockRequest(
      request({
        messages: [
          { role: 'system', content: [{ type: 'text', text: 'One.' }] },
          { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
          { role: 'developer', content: [{ type: 'text', text: 'Two.' }] },
        ],
      }),
    );
    expect(body.system).toEqual([{ text: 'One.' }, { text: 'Two.' }]);
    expect(body.messages).toEqual([{ role: 'user', content: [{ text: 'Hi' }] }]);
  });

  it('merges a tool loop into alternating turns, tool results first in one user turn, ids sanitized alike', () => {
    const body = convertToBedrockRequest(request({ messages: toolLoop, tools: [weatherTool] }));
    expect(body.system).toEqual([{ text: 'Be brief.' }]);
    expect(body.messages).toEqual([
      { role: 'user', content: [{ text: 'Weather in Lyon and Oslo?' }] },
      {
        role: 'assistant',
        content: [
          { reasoningContent: { reasoningText: { text: 'Two cities.', signature: 'sig-1' } } },
          { text: 'Checking.' },
          { toolUse: { toolUseId: 'call_1', name: 'weather', input: { city: 'Lyon' } } },
          { toolUse: { toolUseId: 'functions_weather_2', name: 'weather', input: {} } },
        ],
      },
      {
        role: 'user',
        content: [
          { toolResult: { toolUseId: 'call_1', content: [{ text: '18C' }] } },
          { toolResult: { toolUseId: 'functions_weather_2', content: [{ text: '(no output)' }], status: 'error' } },
          { text: 'And?' },
        ],
      },
    ]);
  });

  it('describes tools as toolSpec with a JSON schema, and maps each tool choice', () => {
    const tools = [weatherTool];
    expect(convertToBedrockRequest(request({ tools })).toolConfig).toEqual({
      tools: [
        {
          toolSpec: {
            name: 'weather',
            description: 'Current weather',
            inputSchema: { json: { type: 'object', properties: { city: { type: 'string' } } } },
          },
        },
      ],
    });
    expect(convertToBedrockRequest(request({ tools, toolChoice: { type: 'auto' } })).toolConfig?.toolChoice).toEqual({ auto: {} });
    expect(convertToBedrockRequest(request({ tools, toolChoice: { type: 'required' } })).toolConfig?.toolChoice).toEqual({ any: {} });
    expect(convertToBedrockRequest(request({ tools, toolChoice: { type: 'tool', name: 'weather' } })).toolConfig?.toolChoice).toEqual({
      tool: { name: 'weather' },
    });
  });

  it('drops the tools for tool choice none, unless the history holds tool blocks', () => {
    expect(convertToBedrockRequest(request({ tools: [weatherTool], toolChoice: { type: 'none' } })).toolConfig).toBeUndefined();
    const withHistory = convertToBedrockRequest(request({ messages: toolLoop, tools: [weatherTool], toolChoice: { type: 'none' } }));
    expect(withHistory.toolConfig?.tools.map((tool) => tool.toolSpec.name)).toEqual(['weather']);
    expect(withHistory.toolConfig?.toolChoice).toBeUndefined();
  });

  it('names the tools of the history when a request with tool blocks brings no tools', () => {
    expect(convertToBedrockRequest(request({ messages: toolLoop })).toolConfig).toEqual({
      tools: [{ toolSpec: { name: 'weather', inputSchema: { json: { type: 'object' } } } }],
    });
  });

  it('sends images as bytes with their format, from base64 and data URLs', () => {
    const body = convertToBedrockRequest(
      request({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' } },
              { type: 'image', source: { kind: 'url', url: 'data:image/jpg;base64,/9j/4AAQ' } },
              { type: 'image', source: { kind: 'base64', mediaType: 'image/webp', data: 'UklGRg==' } },
              { type: 'text', text: 'What is this?' },
            ],
          },
        ],
      }),
    );
    expect(body.messages[0]?.content).toEqual([
      { image: { format: 'png', source: { bytes: 'iVBORw0KGgo=' } } },
      { image: { format: 'jpeg', source: { bytes: '/9j/4AAQ' } } },
      { image: { format: 'webp', source: { bytes: 'UklGRg==' } } },
      { text: 'What is this?' },
    ]);
  });

  it('refuses an image link and an unsupported image type with invalid_request', () => {
    const withImage = (source: { kind: 'url'; url: string } | { kind: 'base64'; mediaType: string; data: string }) =>
      request({ messages: [{ role: 'user', content: [{ type: 'image', source }] }] });
    const link = (() => convertToBedrockRequest(withImage({ kind: 'url', url: 'https://example.com/cat.png' })));
    expect(link).toThrow(ProviderError);
    expect(link).toThrow(/inline bytes/);
    expect(() => convertToBedrockRequest(withImage({ kind: 'base64', mediaType: 'image/tiff', data: 'AAAA' }))).toThrow(
      expect.objectContaining({ kind: 'invalid_request', message: expect.stringMatching(/image\/tiff/) as unknown }) as unknown as Error,
    );
  });

  it('refuses earlier tool arguments that are not a JSON object', () => {
    const messages: Message[] = [
      { role: 'user', content: [{ type: 'text', text: 'Go' }] },
      { role: 'assistant', content: [{ type: 'tool-call', id: 'call_1', name: 'run', arguments: '[1,2]' }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', content: [{ type: 'text', text: 'done' }] }] },
    ];
    expect(() => convertToBedrockRequest(request({ messages }))).toThrow(expect.objectContaining({ kind: 'invalid_request' }) as unknown as Error);
  });

  it('puts sampling in inferenceConfig, clamping temperature, and Claude top_k in additionalModelRequestFields', () => {
    const body = convertToBedrockRequest(request({ sampling: { maxTokens: 300, temperature: 1.4, topP: 0.9, topK: 40, stop: ['END', '\n'] } }));
    expect(body.inferenceConfig).toEqual({ maxTokens: 300, temperature: 1, topP: 0.9, stopSequences: ['END'] });
    expect(body.additionalModelRequestFields).toEqual({ top_k: 40 });
  });

  it('sends no top_k to models other than Claude, and keeps their whitespace stop sequences', () => {
    const body = convertToBedrockRequest(request({ model: NOVA, sampling: { topK: 40, stop: ['\n'] } }));
    expect(body.additionalModelRequestFields).toBeUndefined();
    expect(body.inferenceConfig).toEqual({ stopSequences: ['\n'] });
  });

  it('turns a reasoning effort into a Claude thinking budget with room for the answer, dropping temperature and top_k', () => {
    const body = convertToBedrockRequest(request({ reasoning: { effort: 'medium' }, sampling: { temperature: 0.3, topK: 5, topP: 0.5 } }));
    expect(body.additionalModelRequestFields).toEqual({ thinking: { type: 'enabled', budget_tokens: 8192 } });
    expect(body.inferenceConfig).toEqual({ maxTokens: 8192 + 4096 });
  });

  it('keeps a thinking budget below a requested maxTokens, and leaves thinking off when under 1024 would remain', () => {
    expect(convertToBedrockRequest(request({ reasoning: { budgetTokens: 5000 }, sampling: { maxTokens: 3000 } }))).toMatchObject({
      inferenceConfig: { maxTokens: 3000 },
      additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: 2999 } },
    });
    const tight = convertToBedrockRequest(request({ reasoning: { budgetTokens: 2000 }, sampling: { maxTokens: 1000 } }));
    expect(tight.additionalModelRequestFields).toBeUndefined();
  });

  it('leaves thinking off when a tool is forced, and for models other than Claude', () => {
    const forced = convertToBedrockRequest(request({ reasoning: { effort: 'high' }, tools: [weatherTool], toolChoice: { type: 'required' } }));
    expect(forced.additionalModelRequestFields).toBeUndefined();
    expect(convertToBedrockRequest(request({ model: NOVA, reasoning: { effort: 'high' } })).additionalModelRequestFields).toBeUndefined();
  });

  it('drops empty text and trims the trailing whitespace of a final assistant prefill', () => {
    const body = convertToBedrockRequest(
      request({
        messages: [
          { role: 'user', content: [{ type: 'text', text: '' }, { type: 'text', text: 'Start' }] },
          { role: 'assistant', content: [{ type: 'text', text: 'The answer is ' }] },
        ],
      }),
    );
    expect(body.messages).toEqual([
      { role: 'user', content: [{ text: 'Start' }] },
      { role: 'assistant', content: [{ text: 'The answer is' }] },
    ]);
  });

  it('replays redacted reasoning as redactedContent', () => {
    const body = convertToBedrockRequest(
      request({
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
          { role: 'assistant', content: [{ type: 'redacted-reasoning', data: 'b3BhcXVl' }, { type: 'text', text: 'Hello' }] },
          { role: 'user', content: [{ type: 'text', text: 'Again' }] },
        ],
      }),
    );
    expect(body.messages[1]?.content[0]).toEqual({ reasoningContent: { redactedContent: 'b3BhcXVl' } });
  });
});
