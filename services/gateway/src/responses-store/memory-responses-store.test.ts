import { MemoryResponsesStore } from './memory-responses-store.js';
import type { StoredResponse } from './stored-response.js';

function stored(text: string): StoredResponse {
  return { response: { id: 'resp_x', output_text: text }, inputItems: [], conversation: [{ role: 'user', content: text }] };
}

describe('MemoryResponsesStore', () => {
  it('gives a response back only to the key that stored it, until it is deleted', async () => {
    const store = new MemoryResponsesStore({ ttlMs: 60_000, maxResponseBytes: 10_000, maxTotalBytes: 100_000 });
    expect(await store.save('alice', 'resp_1', stored('hi'))).toBe(true);
    expect(await store.get('alice', 'resp_1')).toEqual(stored('hi'));
    expect(await store.get('bob', 'resp_1')).toBeUndefined();
    expect(await store.delete('bob', 'resp_1')).toBe(false);
    expect(await store.delete('alice', 'resp_1')).toBe(true);
    expect(await store.get('alice', 'resp_1')).toBeUndefined();
  });

  it('forgets a response once its time to live has passed', async () => {
    let now = 1_000;
    const store = new MemoryResponsesStore({ ttlMs: 500, maxResponseBytes: 10_000, maxTotalBytes: 100_000, now: () => now });
    await store.save('alice', 'resp_1', stored('hi'));
    now += 499;
    expect(await store.get('alice', 'resp_1')).toBeDefined();
    now += 1;
    expect(await store.get('alice', 'resp_1')).toBeUndefined();
  });

  it('refuses a response larger than the bound and drops the oldest to stay within the total', async () => {
    const size = Buffer.byteLength(JSON.stringify(stored('x'.repeat(100))));
    const store = new MemoryResponsesStore({ ttlMs: 60_000, maxResponseBytes: size, maxTotalBytes: size * 2 });
    expect(await store.save('alice', 'big', stored('x'.repeat(101)))).toBe(false);
    expect(await store.get('alice', 'big')).toBeUndefined();
    for (const id of ['a', 'b', 'c']) await store.save('alice', id, stored('x'.repeat(100)));
    expect(await store.get('alice', 'a')).toBeUndefined();
    expect(await store.get('alice', 'b')).toBeDefined();
    expect(await store.get('alice', 'c')).toBeDefined();
  });

  it('hands out copies, so a caller cannot change what is stored', async () => {
    const store = new MemoryResponsesStore({ ttlMs: 60_000, maxResponseBytes: 10_000, maxTotalBytes: 100_000 });
    const original = stored('hi');
    await store.save('alice', 'resp_1', original);
    original.conversation.push('changed');
    (await store.get('alice', 'resp_1'))!.conversation.push('changed');
    expect(await store.get('alice', 'resp_1')).toEqual(stored('hi'));
  });
});
