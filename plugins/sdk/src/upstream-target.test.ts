import { upstreamTarget } from './upstream-target.js';

describe('upstreamTarget', () => {
  it('splits a URL into the origin and the path with its query', () => {
    expect(upstreamTarget('https://x.openai.azure.com/openai/deployments/d/chat/completions?api-version=2024-10-21')).toEqual({
      origin: 'https://x.openai.azure.com',
      path: '/openai/deployments/d/chat/completions?api-version=2024-10-21',
    });
    expect(upstreamTarget('http://127.0.0.1:8080/v1/models')).toEqual({ origin: 'http://127.0.0.1:8080', path: '/v1/models' });
    expect(upstreamTarget('https://api.openai.com:443/v1/chat/completions')).toEqual({ origin: 'https://api.openai.com', path: '/v1/chat/completions' });
  });

  it('parses a URL once and answers the same target after', () => {
    const first = upstreamTarget('https://api.groq.com/openai/v1/chat/completions');
    expect(upstreamTarget('https://api.groq.com/openai/v1/chat/completions')).toBe(first);
  });

  it('keeps answering right once more URLs came than it remembers', () => {
    for (let index = 0; index < 600; index += 1) {
      expect(upstreamTarget(`https://generativelanguage.googleapis.com/v1beta/models/m-${index}:generateContent`).path).toBe(
        `/v1beta/models/m-${index}:generateContent`,
      );
    }
  });

  it('throws for a URL that does not parse, every time', () => {
    expect(() => upstreamTarget('not a url')).toThrow(/Invalid URL/);
    expect(() => upstreamTarget('not a url')).toThrow(/Invalid URL/);
  });
});
