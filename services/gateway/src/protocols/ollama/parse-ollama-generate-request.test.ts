import { readFileSync } from 'node:fs';
import { parseOllamaGenerateRequest } from './parse-ollama-generate-request.js';

const FIXTURES = new URL('../../../../../test/fixtures/protocols/ollama/', import.meta.url);
const PNG = readFileSync(new URL('chat-image.request.json', FIXTURES), 'utf8').match(/"(iVBOR[^"]+)"/)?.[1] ?? '';

describe('parseOllamaGenerateRequest', () => {
  it('sends the prompt as the user turn, and names suffix as a field it cannot honour', () => {
    const body = JSON.parse(readFileSync(new URL('generate-suffix.request.json', FIXTURES), 'utf8')) as unknown;
    const parsed = parseOllamaGenerateRequest(body);
    expect(parsed.request).toEqual({
      model: 'codellama:code',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'def compute_gcd(a, b):' }] }],
      sampling: { temperature: 0 },
      stream: false,
      passthrough: { family: 'ollama', fields: { options: { temperature: 0 } } },
    });
    expect(parsed.ignoredFields).toEqual(['suffix']);
    expect(parsed.modelAction).toBeUndefined();
  });

  it('puts system first, images with the prompt, and streams by default', () => {
    const { request, ignoredFields } = parseOllamaGenerateRequest({ model: 'm', prompt: 'what is this?', system: 'Be brief.', images: [PNG], template: '{{ .Prompt }}' });
    expect(request.stream).toBe(true);
    expect(request.messages).toEqual([
      { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
      { role: 'user', content: [{ type: 'text', text: 'what is this?' }, { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: PNG } }] },
    ]);
    expect(ignoredFields).toEqual(['template']);
  });

  it('drops the system turn in raw mode, as Ollama does', () => {
    const { request } = parseOllamaGenerateRequest({ model: 'm', prompt: '[INST] hi [/INST]', system: 'ignored', raw: true });
    expect(request.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: '[INST] hi [/INST]' }] }]);
  });

  it('answers an empty prompt as a load, or an unload with keep_alive 0', () => {
    expect(parseOllamaGenerateRequest({ model: 'm' }).modelAction).toBe('load');
    expect(parseOllamaGenerateRequest({ model: 'm', prompt: '', keep_alive: '0' }).modelAction).toBe('unload');
  });

  it('refuses a prompt that is not a string', () => {
    expect(() => parseOllamaGenerateRequest({ model: 'm', prompt: ['a'] })).toThrow(expect.objectContaining({ param: 'prompt' }));
  });
});
