import { readFileSync } from 'node:fs';
import { SDK_VERSION } from './sdk-version.js';

it('SDK_VERSION equals the package version', () => {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  expect(SDK_VERSION).toBe(manifest.version);
});
