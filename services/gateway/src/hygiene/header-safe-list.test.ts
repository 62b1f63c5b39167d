import { headerSafeList } from './header-safe-list.js';

describe('headerSafeList', () => {
  it('escapes what could split or break a header and bounds the length', () => {
    expect(headerSafeList(['suffix', 'tools[type=a\r\nx: y]'])).toBe('suffix, tools[type=a\\u000d\\u000ax: y]');
    expect(headerSafeList(['é'])).toBe('\\u00e9');
    const long = headerSafeList(Array.from({ length: 100 }, () => 'x'.repeat(20)));
    expect(long.length).toBe(512);
    expect(long.endsWith('...')).toBe(true);
  });
});
