import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileRegistryStore } from './file-registry-store.js';
import type { StoredEndpoint } from './stored-endpoint.js';

const endpoint = (id: string): StoredEndpoint => ({
  id,
  provider: 'openai-compatible',
  baseUrl: 'http://127.0.0.1:8000/v1',
  weight: 1,
  headers: {},
  options: {},
  key: { plain: 'sk-test' },
  revision: `r-${id}`,
  updatedAt: '2026-01-01T00:00:00.000Z',
});

describe('FileRegistryStore', () => {
  it('keeps endpoints across instances in a 0600 file in a 0700 folder, leaving no temporary files', async () => {
    const folder = join(mkdtempSync(join(tmpdir(), 'nachos-store-')), 'data');
    const path = join(folder, 'registry.json');
    const store = new FileRegistryStore(path);
    expect(await store.load()).toEqual([]);
    await Promise.all([store.put(endpoint('a')), store.put(endpoint('b')), store.put(endpoint('c'))]);
    expect(await store.remove('b')).toBe(true);
    expect(await store.remove('b')).toBe(false);
    expect((await new FileRegistryStore(path).load()).map((entry) => entry.id).sort()).toEqual(['a', 'c']);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    expect(readdirSync(folder)).toEqual(['registry.json']);
  });
});
