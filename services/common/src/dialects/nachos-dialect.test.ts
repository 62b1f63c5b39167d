import { parse } from 'smol-toml';
import { translateConfig } from './translate-config.js';

const translate = (text: string) => translateConfig(parse(text) as Record<string, unknown>, 'nachos.toml');

describe('nachos.toml as seed 000 writes it', () => {
  it('takes profile_order written after the last [[llm.profiles]] table as [llm] profile_order', () => {
    const { dialect, content } = translate(`
[llm]
provider = "anthropic"
model = "claude-sonnet-4-20250514"

[[llm.profiles]]
name = "primary"
provider = "anthropic"
api_key_env = "ANTHROPIC_API_KEY"

[[llm.profiles]]
name = "backup"
provider = "anthropic"
api_key_env = "ANTHROPIC_API_KEY_2"

profile_order = ["primary", "backup"]
`);
    expect(dialect).toBe('nachos');
    expect(content.llm).toEqual({
      provider: 'anthropic',
      model: 'claude-sonnet-4-20250514',
      profiles: [
        { name: 'primary', provider: 'anthropic', api_key_env: 'ANTHROPIC_API_KEY' },
        { name: 'backup', provider: 'anthropic', api_key_env: 'ANTHROPIC_API_KEY_2' },
      ],
      profile_order: ['primary', 'backup'],
    });
  });

  it('serves provider "custom" as an OpenAI-compatible endpoint named custom at base_url', () => {
    const { content } = translate('[llm]\nprovider = "custom"\nmodel = "qwen3"\nbase_url = "http://127.0.0.1:8000/v1"\n');
    expect(content).toEqual({
      llm: { provider: 'custom', model: 'qwen3' },
      endpoints: { custom: { provider: 'openai-compatible', base_url: 'http://127.0.0.1:8000/v1' } },
    });
  });

  it('names what it cannot read', () => {
    expect(() => translate('[llm]\nprovider = "custom"\n')).toThrow(/nachos setting llm\.provider = "custom" needs llm\.base_url/);
    expect(() =>
      translate('[llm]\nprofile_order = ["a"]\n[[llm.profiles]]\nname = "a"\nprovider = "openai"\napi_key_env = "K"\nprofile_order = ["a"]\n'),
    ).toThrow(/llm\.profile_order is given twice/);
  });
});
