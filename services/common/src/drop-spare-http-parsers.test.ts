import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const DROP = fileURLToPath(new URL('../dist/drop-spare-http-parsers.js', import.meta.url));
const TRIM = fileURLToPath(new URL('../dist/trim-native-heap.js', import.meta.url));
const run = promisify(execFile);

/**
 * In a Node process of its own, as the gateway would be: an HTTP server takes 4,500 connections (three
 * rounds from a client process of its own, as from its users) and sees them close. Its C heap's resident
 * pages are read after a full collection and a trim, then after the same once the spare parsers are freed.
 */
const SCENARIO = `
  import { spawn } from 'node:child_process';
  import { createServer } from 'node:http';
  import { readFileSync } from 'node:fs';
  import { dropSpareHttpParsers } from ${JSON.stringify(DROP)};
  import { trimNativeHeap } from ${JSON.stringify(TRIM)};
  const cHeapMb = () => { const maps = readFileSync('/proc/self/smaps', 'utf8'); return Number(/Rss:\\s+(\\d+)/.exec(maps.slice(maps.indexOf('[heap]')))[1]) / 1024; };
  const settle = async () => { globalThis.gc(); await trimNativeHeap(); return cHeapMb(); };
  const server = createServer((request, response) => response.end('ok'));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = \`
    const { Agent, get } = require('node:http');
    (async () => {
      for (let round = 0; round < 3; round += 1) {
        const agent = new Agent({ keepAlive: true, maxSockets: 1500 });
        const one = () => new Promise((resolve, reject) => get({ host: '127.0.0.1', port: \${server.address().port}, agent }, (response) => response.resume().on('end', resolve)).on('error', reject));
        await Promise.all(Array.from({ length: 1500 }, one));
        agent.destroy();
      }
    })();
  \`;
  await new Promise((resolve) => spawn(process.execPath, ['-e', client], { stdio: 'inherit' }).on('exit', resolve));
  await new Promise((resolve) => setTimeout(resolve, 500)); // the server sees the last connections close
  const kept = await settle();
  const dropped = dropSpareHttpParsers();
  const after = await settle();
  server.close();
  console.log(JSON.stringify({ kept, dropped, after }));
`;

describe('dropSpareHttpParsers', () => {
  const onGlibc = process.platform === 'linux' && Boolean((process.report.getReport() as { header: { glibcVersionRuntime?: string } }).header.glibcVersionRuntime);

  (onGlibc ? it : it.skip)('gives back the C heap the parsers of closed connections held', async () => {
    const { stdout } = await run(process.execPath, ['--expose-gc', '--input-type=module', '-e', SCENARIO], { encoding: 'utf8' });
    const { kept, dropped, after } = JSON.parse(stdout) as { kept: number; dropped: number; after: number };
    expect(dropped).toBe(1000);
    expect(kept - after).toBeGreaterThan(0.5);
  });
});
