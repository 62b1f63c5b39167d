import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readHostPresets } from './read-host-presets.js';
import { selectHostPreset } from './select-host-preset.js';

const presets = readHostPresets(new URL('./presets.json', import.meta.url));

function presetsFile(content: unknown, extraFiles: Record<string, unknown> = {}): URL {
  const directory = mkdtempSync(join(tmpdir(), 'presets-'));
  writeFileSync(join(directory, 'presets.json'), JSON.stringify(content));
  for (const [name, value] of Object.entries(extraFiles)) {
    writeFileSync(join(directory, name), JSON.stringify(value));
  }
  return pathToFileURL(join(directory, 'presets.json'));
}

const groqLike = { id: 'groq', displayName: 'Groq', baseUrl: 'https://api.groq.com/openai/v1', apiKeyEnv: 'GROQ_API_KEY', requiresApiKey: true, detectByHost: true, quirks: {} };

describe('the shipped host presets', () => {
  it('cover the hosts DESIGN names, each with its base URL and key variable', () => {
    expect(presets.map((preset) => [preset.id, preset.baseUrl, preset.apiKeyEnv ?? null, preset.requiresApiKey])).toEqual([
      ['groq', 'https://api.groq.com/openai/v1', 'GROQ_API_KEY', true],
      ['together', 'https://api.together.xyz/v1', 'TOGETHER_API_KEY', true],
      ['mistral', 'https://api.mistral.ai/v1', 'MISTRAL_API_KEY', true],
      ['deepseek', 'https://api.deepseek.com/v1', 'DEEPSEEK_API_KEY', true],
      ['xai', 'https://api.x.ai/v1', 'XAI_API_KEY', true],
      ['perplexity', 'https://api.perplexity.ai', 'PERPLEXITY_API_KEY', true],
      ['openrouter', 'https://openrouter.ai/api/v1', 'OPENROUTER_API_KEY', true],
      ['fireworks', 'https://api.fireworks.ai/inference/v1', 'FIREWORKS_API_KEY', true],
      ['sambanova', 'https://api.sambanova.ai/v1', 'SAMBANOVA_API_KEY', true],
      ['lmstudio', 'http://127.0.0.1:1234/v1', null, false],
      ['vllm', 'http://127.0.0.1:8000/v1', null, false],
      ['litellm', 'http://127.0.0.1:4000/v1', 'LITELLM_API_KEY', false],
    ]);
  });

  it('carry the model names users type as ids or aliases', () => {
    const names = (id: string) => presets.find((preset) => preset.id === id)!.catalogue.flatMap((model) => [model.id, ...(model.aliases ?? [])]);
    expect(names('perplexity')).toEqual(expect.arrayContaining(['sonar', 'perplexity', 'pplx', 'sonar-pro', 'sonar-reasoning']));
    expect(names('deepseek')).toEqual(expect.arrayContaining(['deepseek-chat', 'deepseek-reasoner', 'deepseek-r1']));
    expect(names('xai')).toEqual(expect.arrayContaining(['grok-4', 'grok']));
    expect(names('mistral')).toEqual(expect.arrayContaining(['mistral-large', 'mistral-large-latest', 'codestral']));
    for (const id of ['groq', 'together', 'fireworks', 'sambanova']) {
      expect(names(id)).toContain('llama-3.3-70b');
    }
    const perplexity = presets.find((preset) => preset.id === 'perplexity')!;
    expect(perplexity.catalogue.every((model) => model.capabilities?.tools === false)).toBe(true);
  });

  it('never alias one name twice within a host', () => {
    for (const preset of presets) {
      const names = preset.catalogue.flatMap((model) => [model.id, ...(model.aliases ?? [])]);
      expect(new Set(names).size).toBe(names.length);
    }
  });
});

describe('readHostPresets', () => {
  it('reads each catalogue relative to the presets file', () => {
    const file = presetsFile([{ ...groqLike, catalogue: 'groq-models.json' }], { 'groq-models.json': [{ id: 'llama-3.3-70b-versatile', aliases: ['llama-3.3-70b'] }] });
    expect(readHostPresets(file)[0]?.catalogue).toEqual([{ id: 'llama-3.3-70b-versatile', aliases: ['llama-3.3-70b'] }]);
  });

  it.each([
    [{ ...groqLike, id: 'Groq' }, 'id must be kebab-case'],
    [{ ...groqLike, baseUrl: 'api.groq.com' }, 'baseUrl must be an http(s) URL'],
    [{ ...groqLike, apiKeyEnv: 'groq key' }, 'apiKeyEnv must be an environment variable name'],
    [{ ...groqLike, quirks: { stremOptions: false } }, 'unknown quirk "stremOptions"'],
    [{ ...groqLike, quirks: { dropFields: 'user' } }, 'quirk dropFields must be a list of field names'],
    [{ ...groqLike, quirks: { toolCallIdFormat: 'short' } }, 'quirk toolCallIdFormat must be "nine-alphanumeric"'],
    [{ ...groqLike, baseURL: 'https://x' }, 'unknown field "baseURL"'],
  ])('fails loudly on a malformed preset (%#)', (entry, problem) => {
    expect(() => readHostPresets(presetsFile([entry]))).toThrow(problem);
  });

  it('refuses two presets with one id', () => {
    expect(() => readHostPresets(presetsFile([groqLike, groqLike]))).toThrow('name "groq" twice');
  });
});

describe('selectHostPreset', () => {
  it('takes the named preset, guesses a cloud host from the base URL, and never guesses local servers', () => {
    expect(selectHostPreset('mistral', 'https://proxy.internal/v1', presets)?.id).toBe('mistral');
    expect(selectHostPreset('', 'https://api.mistral.ai/v1', presets)?.id).toBe('mistral');
    expect(selectHostPreset('', 'https://API.GROQ.COM/openai/v1/', presets)?.id).toBe('groq');
    expect(selectHostPreset('', 'http://127.0.0.1:1234/v1', presets)).toBeUndefined();
    expect(selectHostPreset('', 'https://llm.example.com/v1', presets)).toBeUndefined();
    expect(selectHostPreset('none', 'https://api.mistral.ai/v1', presets)).toBeUndefined();
    expect(() => selectHostPreset('gorq', 'https://x.test', presets)).toThrow('unknown preset "gorq"');
  });
});
