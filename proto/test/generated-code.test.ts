import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * The committed code in src/gen must be exactly what `npm run generate` makes from the .proto files,
 * or a change to a .proto file ships without its code. This regenerates into a temporary directory with
 * the same buf.gen.yaml and compares every file byte for byte. If buf cannot run, the test fails.
 */

const run = promisify(execFile);
const protoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const binaries = resolve(protoRoot, '../node_modules/.bin');

async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort();
}

describe('generated code', () => {
  let outputRoot: string;

  beforeAll(async () => {
    outputRoot = await mkdtemp(join(tmpdir(), 'nachos-proto-gen-'));
  });

  afterAll(async () => {
    await rm(outputRoot, { recursive: true, force: true });
  });

  it('matches what buf generates from the .proto files', async () => {
    await run(join(binaries, 'buf'), ['generate', '--output', outputRoot], {
      cwd: protoRoot,
      env: { ...process.env, PATH: `${binaries}${delimiter}${process.env.PATH ?? ''}` },
      timeout: 60_000,
    });
    const committedRoot = join(protoRoot, 'src/gen');
    const generatedRoot = join(outputRoot, 'src/gen');

    const generatedFiles = await listFiles(generatedRoot);
    expect(generatedFiles.length).toBeGreaterThan(0);
    expect(await listFiles(committedRoot)).toEqual(generatedFiles);
    for (const file of generatedFiles) {
      const [committed, generated] = await Promise.all([
        readFile(join(committedRoot, file)),
        readFile(join(generatedRoot, file)),
      ]);
      // The text comparison gives a readable diff; the byte comparison catches what text would hide.
      expect({ file, content: committed.toString('utf8') }).toEqual({ file, content: generated.toString('utf8') });
      expect({ file, identical: committed.equals(generated) }).toEqual({ file, identical: true });
    }
  });
});
