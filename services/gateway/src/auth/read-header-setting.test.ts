import { readHeaderSetting } from './read-header-setting.js';

describe('readHeaderSetting', () => {
  const auth = { header_names: ['authorization', 'x-api-key'], provider_key_header: 'X-OpenAI-Key', user_header: 'X-Client-Id' };

  it('reads each header in lower case', () => {
    expect(readHeaderSetting(auth, 'provider_key_header')).toBe('x-openai-key');
    expect(readHeaderSetting(auth, 'user_header')).toBe('x-client-id');
  });

  it('refuses a header that carries gateway keys, naming both settings', () => {
    expect(() => readHeaderSetting({ ...auth, provider_key_header: 'Authorization' }, 'provider_key_header')).toThrow(
      'auth.provider_key_header = "Authorization" is one of auth.header_names, which carry gateway keys',
    );
    expect(() => readHeaderSetting({ ...auth, user_header: 'x-api-key' }, 'user_header')).toThrow('auth.user_header = "x-api-key" is one of auth.header_names');
  });

  it('refuses one header for a provider key and a user', () => {
    expect(() => readHeaderSetting({ ...auth, user_header: 'x-openai-key' }, 'user_header')).toThrow(/both "x-openai-key": a provider key would be kept as a user's name/);
  });
});
