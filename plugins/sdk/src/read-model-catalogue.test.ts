import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readModelCatalogue } from './read-model-catalogue.js';

function catalogueFile(content: unknown): URL {
  const path = join(mkdtempSync(join(tmpdir(), 'catalogue-')), 'models.json');
  writeFileSync(path, JSON.stringify(content));
  return pathToFileURL(path);
}

describe('readModelCatalogue', () => {
  it('reads well-formed entries', () => {
    const models = readModelCatalogue(
      catalogueFile([
        { id: 'a', aliases: ['alpha'], contextLength: 1000, maxOutputTokens: 100, capabilities: { tools: true, vision: false }, ownedBy: 'x' },
        { id: 'b' },
      ]),
    );
    expect(models).toEqual([
      { id: 'a', aliases: ['alpha'], contextLength: 1000, maxOutputTokens: 100, capabilities: { tools: true, vision: false }, ownedBy: 'x' },
      { id: 'b' },
    ]);
  });

  it.each([
    [{ id: '' }, /non-empty string id/],
    [{ id: 'a', aliases: 'alpha' }, /aliases/],
    [{ id: 'a', contextLength: '128k' }, /contextLength must be a positive integer/],
    [{ id: 'a', capabilities: { tool: true } }, /capabilities may only hold/],
    [{ id: 'a', capabilities: { tools: 'yes' } }, /capabilities.tools must be true or false/],
  ])('names the file and entry of a malformed entry %j', (entry, message) => {
    const file = catalogueFile([{ id: 'ok' }, entry]);
    expect(() => readModelCatalogue(file)).toThrow(message);
    expect(() => readModelCatalogue(file)).toThrow(/models\.json\[1\]/);
  });

  it('refuses a file that is not an array', () => {
    expect(() => readModelCatalogue(catalogueFile({ id: 'a' }))).toThrow(/must be a JSON array/);
  });
});
