import { execFile } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The .proto files follow buf's STANDARD style, with the exceptions buf.yaml names and explains. */

const run = promisify(execFile);
const protoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

describe('buf lint', () => {
  it('finds nothing to report', async () => {
    const result = await run(resolve(protoRoot, '../node_modules/.bin/buf'), ['lint'], { cwd: protoRoot, timeout: 60_000 })
      .then(({ stdout }) => stdout)
      .catch((error: { stdout?: string; stderr?: string; message: string }) => error.stdout || error.stderr || error.message);
    expect(result).toBe('');
  });
});
