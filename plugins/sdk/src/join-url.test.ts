import { joinUrl } from './join-url.js';

describe('joinUrl', () => {
  it('joins a versioned base URL and a path whatever their slashes', () => {
    expect(joinUrl('https://api.openai.com/v1', 'chat/completions')).toBe('https://api.openai.com/v1/chat/completions');
    expect(joinUrl('http://127.0.0.1:1234/v1/', '/models')).toBe('http://127.0.0.1:1234/v1/models');
    expect(joinUrl('http://host/v1//', 'embeddings')).toBe('http://host/v1/embeddings');
  });

  it('keeps a query string of the base at the end', () => {
    expect(joinUrl('https://x.openai.azure.com/openai/deployments/d/?api-version=2024-10-21', 'chat/completions')).toBe(
      'https://x.openai.azure.com/openai/deployments/d/chat/completions?api-version=2024-10-21',
    );
  });
});
