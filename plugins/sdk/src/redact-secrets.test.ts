import { redactSecrets } from './redact-secrets.js';

describe('redactSecrets', () => {
  it('removes the exact key values it is given', () => {
    expect(redactSecrets('bad key local-canary-key-42 rejected', ['local-canary-key-42'])).toBe('bad key [redacted] rejected');
  });

  it('removes masked provider keys an upstream quotes back', () => {
    const message = 'Incorrect API key provided: sk-proj-abc1********************wxyz. You can find your API key at https://platform.openai.com.';
    expect(redactSecrets(message)).toBe('Incorrect API key provided: [redacted]. You can find your API key at https://platform.openai.com.');
  });

  it('removes Google keys, AWS key ids, bearer tokens and key query parameters', () => {
    const text =
      'AIzaSyA1234567890abcdefghijklmnopqrstu AKIAABCDEFGHIJKLMNOP Authorization: Bearer abcdefgh12345 https://host/v1?alt=sse&key=secret123';
    const redacted = redactSecrets(text);
    expect(redacted).not.toMatch(/AIza|AKIA|abcdefgh12345|secret123/);
    expect(redacted).toContain('alt=sse&key=[redacted]');
    expect(redacted).toContain('Bearer [redacted]');
  });

  it('leaves ordinary messages alone', () => {
    const message = 'The model `gpt-4.1-nano-wrong` does not exist or you do not have access to it.';
    expect(redactSecrets(message)).toBe(message);
  });

  it('finds each kind of key alone in a text, whatever the case of its marker', () => {
    const cases = [
      ['id sk-abcdefgh1234 end', 'id [redacted] end'],
      ['gsk_abcdefgh1234', '[redacted]'],
      ['xai-abcdefgh1234', '[redacted]'],
      ['AIzaSyA1234567890abcdefghijklmnopqrstu', '[redacted]'],
      ['ASIAABCDEFGHIJKLMNOP', '[redacted]'],
      ['BEARER abcdefgh12345', 'BEARER [redacted]'],
      ['/v1/models?API_KEY=secret123', '/v1/models?API_KEY=[redacted]'],
      ['/v1/models&Token=secret123', '/v1/models&Token=[redacted]'],
    ];
    for (const [text, redacted] of cases) expect(redactSecrets(text!)).toBe(redacted);
  });
});
