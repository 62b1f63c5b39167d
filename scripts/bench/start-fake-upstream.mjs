/** Starts fake-upstream.mjs as its own process and resolves with its base URL once it listens. */
import { fileURLToPath } from 'node:url';
import { assertRunning, startProcess } from './managed-processes.mjs';
import { measuredGroup } from './process-usage.mjs';

const SCRIPT = fileURLToPath(new URL('./fake-upstream.mjs', import.meta.url));

export async function startFakeUpstream({ chunks, chunkGapMs }) {
  const env = { PATH: process.env.PATH, BENCH_CHUNKS: String(chunks), BENCH_CHUNK_GAP_MS: String(chunkGapMs) };
  const managed = startProcess('fake upstream', SCRIPT, [], { ipc: true, env });
  const port = await new Promise((resolve, reject) => {
    managed.child.once('message', (message) => resolve(message.port));
    managed.child.once('exit', () => {
      try {
        assertRunning(managed);
      } catch (error) {
        reject(error);
      }
    });
  });
  const pid = managed.child.pid;
  return { url: `http://127.0.0.1:${port}`, port, managed, group: measuredGroup('upstream', () => [pid]) };
}
