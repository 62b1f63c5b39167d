import { mergeHeaders } from './merge-headers.js';

describe('mergeHeaders', () => {
  it('lets later layers win, comparing names case-insensitively, and skips undefined', () => {
    expect(
      mergeHeaders({ 'Anthropic-Version': '2023-06-01', 'x-a': '1' }, undefined, { 'anthropic-version': '2024-01-01', 'x-b': undefined }),
    ).toEqual({ 'anthropic-version': '2024-01-01', 'x-a': '1' });
  });
});
