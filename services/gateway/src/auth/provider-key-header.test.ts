import { readProviderKeyHeader } from './provider-key-header.js';

describe('readProviderKeyHeader', () => {
  const headerNames = ['authorization', 'x-api-key'];

  it('reads the configured header in lower case', () => {
    expect(readProviderKeyHeader({ provider_key_header: 'X-OpenAI-Key', header_names: headerNames })).toBe('x-openai-key');
  });

  it('refuses a header that carries gateway keys, naming both settings', () => {
    expect(() => readProviderKeyHeader({ provider_key_header: 'Authorization', header_names: headerNames })).toThrow(
      'auth.provider_key_header = "Authorization" is one of auth.header_names, which carry gateway keys',
    );
  });
});
