import { CallTable } from './call-table.js';

describe('CallTable', () => {
  it('finds, counts, lists and removes calls by id', () => {
    const table = new CallTable<{ name: string }>();
    const first = { name: 'first' };
    const second = { name: 'second' };
    table.set(1, first);
    table.set(2, second);
    expect(table.size).toBe(2);
    expect(table.get(2)).toBe(second);
    expect(table.has(1)).toBe(true);
    expect(table.calls()).toEqual([first, second]);
    expect(table.delete(1)).toBe(true);
    expect(table.delete(1)).toBe(false);
    expect(table.get(1)).toBeUndefined();
    expect(table.has(1)).toBe(false);
    table.clear();
    expect(table.size).toBe(0);
    expect(table.calls()).toEqual([]);
  });

  it('lists the calls as they were, whatever ending them removes on the way', () => {
    const table = new CallTable<{ id: number }>();
    for (let id = 1; id <= 3; id += 1) table.set(id, { id });
    const ended: number[] = [];
    for (const call of table.calls()) {
      ended.push(call.id);
      table.delete(call.id);
      table.delete(3);
    }
    expect(ended).toEqual([1, 2, 3]);
    expect(table.size).toBe(0);
  });
});
