import { redactSecrets } from './redact-secrets.js';

describe('redactSecrets', () => {
  it('scrubs key-like query parameters', () => {
    expect(redactSecrets('GET https://x/v1beta/models?key=AIzaSyCANARY&alt=sse')).toBe(
      'GET https://x/v1beta/models?key=[redacted]&alt=sse',
    );
  });

  it('scrubs bearer tokens and sk- keys in free text', () => {
    expect(redactSecrets('Authorization: Bearer abcdefgh12345678')).toBe('Authorization: Bearer [redacted]');
    expect(redactSecrets('bad key sk-proj-ABCDEFGH1234 given')).toBe('bad key sk-proj-[redacted] given');
  });

  it('leaves ordinary text alone', () => {
    expect(redactSecrets('model gpt-4o answered in 12 ms')).toBe('model gpt-4o answered in 12 ms');
  });
});
