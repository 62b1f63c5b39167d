import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot } from '../deploy/compose-file.js';
import { manifestMismatches, unversionedEntries, type Lockfile, type Manifest } from './lockfile-policy.js';

const readJson = <T>(path: string): T => JSON.parse(readFileSync(join(repositoryRoot, path), 'utf8')) as T;

const lock = readJson<Lockfile>('package-lock.json');
const root = readJson<Manifest & { workspaces: string[] }>('package.json');
const manifests: Record<string, Manifest> = {
  '': root,
  ...Object.fromEntries(root.workspaces.map((folder) => [folder, readJson<Manifest>(`${folder}/package.json`)])),
};

describe('package-lock.json', () => {
  it('pins every package entry to a version, so npm ci accepts it on any npm and platform', () => {
    expect(unversionedEntries(lock)).toEqual([]);
  });

  it('records every manifest exactly, with each installed version inside the range that asked for it', () => {
    expect(manifestMismatches(lock, manifests)).toEqual([]);
  });

  it('keeps other platforms’ optional binaries as real entries', () => {
    const binaries = Object.keys(lock.packages).filter((path) => /@bufbuild\/buf-(darwin|win32|linux)-/.test(path));
    expect(binaries.map((path) => path.replace(/.*buf-/, '')).sort()).toEqual(
      ['darwin-arm64', 'darwin-x64', 'linux-aarch64', 'linux-armv7', 'linux-x64', 'win32-arm64', 'win32-x64'],
    );
  });
});

describe('the lock policy', () => {
  const stubbed: Lockfile = {
    lockfileVersion: 3,
    packages: {
      '': { devDependencies: { '@bufbuild/buf': '^1.59.0' } },
      'node_modules/@bufbuild/buf': { version: '1.75.0' },
      'node_modules/@bufbuild/buf/node_modules/@bufbuild/buf-darwin-arm64': { optional: true } as never,
      'node_modules/@nachos/proto': { resolved: 'proto', link: true },
    },
  };

  it('names each stub entry that npm ci refuses with "Invalid Version"', () => {
    expect(unversionedEntries(stubbed)).toEqual(['node_modules/@bufbuild/buf/node_modules/@bufbuild/buf-darwin-arm64']);
  });

  it('names a dependency whose range differs from the lock or whose installed version falls outside it', () => {
    expect(manifestMismatches(stubbed, { '': { devDependencies: { '@bufbuild/buf': '^1.80.0' } } })).toEqual([
      'root devDependencies.@bufbuild/buf: package.json says ^1.80.0, the lock ^1.59.0',
    ]);
    const drifted = { ...stubbed, packages: { ...stubbed.packages, 'node_modules/@bufbuild/buf': { version: '2.0.0' } } };
    expect(manifestMismatches(drifted, { '': { devDependencies: { '@bufbuild/buf': '^1.59.0' } } })).toEqual([
      'root devDependencies.@bufbuild/buf: the lock installs 2.0.0, outside ^1.59.0',
    ]);
  });

  it('finds the 22 stubs in the lock that broke npm ci', () => {
    const broken = readJson<Lockfile>('test/install/fixtures/stubbed-lock-excerpt.json');
    expect(unversionedEntries(broken)).toHaveLength(22);
  });
});
