import { RecentValues } from './recent-values.js';

describe('RecentValues', () => {
  it('keeps at most its limit, dropping the least recently used, and makes a dropped value anew', () => {
    const made: string[] = [];
    const values = new RecentValues<string, string>(3);
    const get = (key: string) => values.get(key, () => (made.push(key), `value of ${key}`));
    for (let index = 0; index < 1_000; index += 1) get(`deployment-${index}`);
    expect(values.size).toBe(3);
    get('a');
    get('b');
    get('c');
    expect(get('a')).toBe('value of a');
    get('d');
    expect(values.size).toBe(3);
    made.length = 0;
    get('a');
    get('c');
    get('d');
    expect(made).toEqual([]);
    get('b');
    expect(made).toEqual(['b']);
  });
});
