import type { ChatRequest } from '@nachos/plugin-sdk';

/** Canonical requests for the codec tests: the least a chat carries, and every field, part and option it can. */

export const minimal: ChatRequest = { model: 'gpt-4o', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }], sampling: {}, stream: false };

export const everyField: ChatRequest = {
  model: 'claude-sonnet',
  messages: [
    { role: 'system', content: [{ type: 'text', text: 'Be brief.', cacheControl: { type: 'ephemeral', ttl: '1h' } }] },
    { role: 'developer', content: [{ type: 'text', text: 'Answer in English.', cacheControl: { type: 'ephemeral' } }] },
    {
      role: 'user',
      name: 'alice',
      content: [
        { type: 'text', text: 'Qu’y a-t-il sur ces images ? 🐱' },
        { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.png' }, detail: 'high' },
        { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' }, detail: 'low' },
        { type: 'image', source: { kind: 'url', url: 'https://example.com/dog.png' } },
        { type: 'document', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBERi0=' }, filename: 'a.pdf', title: 'A', context: 'c', citations: true },
        { type: 'document', source: { kind: 'url', url: 'https://example.com/b.pdf' }, cacheControl: { type: 'ephemeral' } },
        { type: 'document', source: { kind: 'text', text: '' }, citations: false },
      ],
    },
    {
      role: 'assistant',
      content: [
        { type: 'reasoning', text: 'The user wants the weather.', signature: 'sig-thinking' },
        { type: 'reasoning', text: '' },
        { type: 'redacted-reasoning', data: 'EuYBCkQYAiJA' },
        { type: 'text', text: '' },
        { type: 'tool-call', id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}', signature: 'gemini-thought' },
        { type: 'tool-call', id: 'call_2', name: 'lookup', arguments: '' },
      ],
    },
    {
      role: 'tool',
      content: [
        {
          type: 'tool-result',
          toolCallId: 'call_1',
          toolName: 'get_weather',
          isError: true,
          content: [
            { type: 'text', text: 'Service down' },
            { type: 'image', source: { kind: 'base64', mediaType: 'image/jpeg', data: '/9j/4AAQ' }, detail: 'auto' },
          ],
        },
        { type: 'tool-result', toolCallId: 'call_2', content: [], isError: false },
      ],
    },
  ],
  tools: [
    {
      name: 'get_weather',
      description: 'Current weather for a city',
      strict: false,
      parameters: {
        type: 'object',
        properties: { city: { type: 'string', enum: ['Paris', 'Rome'] }, days: { type: 'integer', minimum: 1 } },
        required: ['city'],
        examples: [{ city: 'Paris', days: 2.5 }, null, true, -0.125],
      },
    },
    { name: 'noop', parameters: {} },
    { name: 'bare' },
  ],
  toolChoice: { type: 'tool', name: 'get_weather' },
  parallelToolCalls: false,
  sampling: { maxTokens: 1024, temperature: 0, topP: 0.9, topK: 40, stop: ['\n\nHuman:', ''], seed: -9007199254740991, presencePenalty: 0.5, frequencyPenalty: -0.25 },
  responseFormat: { type: 'json_schema', name: 'weather', strict: true, schema: { type: 'object', properties: { temperature: { type: 'number' } } } },
  reasoning: { effort: 'xhigh', budgetTokens: 0 },
  user: '',
  metadata: { tenant: 'acme', '2': 'numeric keys first, as in any JS object', empty: '' },
  stream: true,
  passthrough: { family: 'anthropic', fields: { top_level: { nested: [1, 'two', false, null] }, service_tier: 'auto' } },
  anthropicBeta: ['prompt-caching-2024-07-31', 'pdfs-2024-09-25'],
  choices: 3,
};
