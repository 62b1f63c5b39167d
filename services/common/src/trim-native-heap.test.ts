import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const BUILT = fileURLToPath(new URL('../dist/trim-native-heap.js', import.meta.url));
const run = promisify(execFile);

/**
 * In a Node process of its own, as a service would be: 100 MB of small native buffers (below glibc's mmap
 * threshold, so they come from its heap), one in 64 kept, as sockets leave live chunks scattered through it
 * after a load; the rest freed and collected. Resident memory is read before and after the trim.
 */
const SCENARIO = `
  import { readFileSync } from 'node:fs';
  import { trimNativeHeap } from ${JSON.stringify(BUILT)};
  const anonymousMb = () => Number(/RssAnon:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) / 1024;
  let buffers = [];
  for (let i = 0; i < 50_000; i += 1) buffers.push(Buffer.allocUnsafeSlow(2048).fill(1));
  const kept = buffers.filter((_, i) => i % 64 === 0);
  buffers = undefined;
  globalThis.gc();
  const before = anonymousMb();
  const trimmed = await trimNativeHeap();
  console.log(JSON.stringify({ before, after: anonymousMb(), trimmed, kept: kept.length }));
`;

describe('trimNativeHeap', () => {
  const onGlibc = process.platform === 'linux' && Boolean((process.report.getReport() as { header: { glibcVersionRuntime?: string } }).header.glibcVersionRuntime);

  it(onGlibc ? 'gives the free pages between live native allocations back to the system' : 'says it cannot trim without glibc', async () => {
    const { stdout } = await run(process.execPath, ['--expose-gc', '--input-type=module', '-e', SCENARIO], { encoding: 'utf8' });
    const { before, after, trimmed } = JSON.parse(stdout) as { before: number; after: number; trimmed: boolean };
    expect(trimmed).toBe(onGlibc);
    if (onGlibc) expect(before - after).toBeGreaterThan(50);
  });
});
